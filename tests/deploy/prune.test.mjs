// Defects 3 and 4 of issue 12, and redeploying over a HyScale-deployed service (issue 13, 5):
// every object carries the record and HyScale's labels, so a failed first deploy or a failed
// undeploy leaves nothing the next undeploy cannot find; prune runs only after a good rollout,
// compares API group, kind and name, takes objects of a previous environment and HyScale's
// leftovers, and never a PersistentVolumeClaim or what another workload still uses; undeploy
// waits until the objects are gone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Env, NGINX_SPEC, WEB_SPEC, withoutLoadBalancer, withProvider } from './harness.mjs';

const NS = 'shop';
const deploy = (f, ...more) => ['deploy', 'service', '-f', f, '-a', 'bookinfo', '-n', NS, ...more];
const undeploy = (...more) => ['undeploy', 'service', '-s', 'productpage', '-a', 'bookinfo', '-n', NS, ...more];
// what hyscale applied (the controllers' Pods, ReplicaSets, ControllerRevisions go with their owners)
const mine = (env) => [...env.cluster.store.values()].map((e) => e.obj)
  .filter((o) => !['Pod', 'ReplicaSet', 'ControllerRevision'].includes(o.kind) && o.metadata.labels?.['hyscale.io/app-name'] === 'bookinfo')
  .map((o) => `${o.kind}/${o.metadata.name}`).sort();
const labels = (env = 'dev', svc = 'productpage') => ({ 'hyscale.io/app-name': 'bookinfo', 'hyscale.io/environment-name': env,
  ...(svc ? { 'hyscale.io/service-name': svc } : {}) });
const PROPS = `${NGINX_SPEC}props:\n  LEVEL: info\n`;

test('a 422 on the Deployment of a first deploy leaves nothing that undeploy cannot find', async (t) => {
  const env = await Env.create(t, { config: { maxReplicas: 5 } });
  const spec = env.spec('productpage.hspec', PROPS.replace('replicas: 2', 'replicas: 9'));
  let r = await env.run(deploy(spec));
  assert.equal(r.code, 5);
  assert.match(r.stderr, /replicas/);
  assert.deepEqual(mine(env), ['ConfigMap/bookinfo-productpage', 'Service/productpage']);
  r = await env.run(undeploy());
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /ConfigMap bookinfo-productpage deleted/);
  assert.match(r.stdout, /Service productpage deleted/);
  assert.deepEqual(mine(env), []);
});

test('a failure mid-undeploy loses nothing: the rerun finds the rest', async (t) => {
  const env = await Env.create(t);
  const spec = env.spec('productpage.hspec', PROPS);
  let r = await env.run(deploy(spec));
  assert.equal(r.code, 0, r.stderr);
  env.cluster.faults.push({ match: '/services/productpage', method: 'DELETE', type: '500', remaining: 10 });
  r = await env.run(undeploy());
  assert.equal(r.code, 5);
  assert.match(r.stdout, /Deployment productpage deleted/);   // the workload went first, with the old record
  assert.ok(mine(env).includes('Service/productpage'));
  env.cluster.faults.length = 0;
  r = await env.run(undeploy());
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Service productpage deleted/);
  assert.match(r.stdout, /ConfigMap bookinfo-productpage deleted/);
  assert.deepEqual(mine(env), []);
});

test('prune waits for a good rollout', async (t) => {
  const env = await Env.create(t);
  const spec = env.spec('productpage.hspec', NGINX_SPEC);
  let r = await env.run(deploy(spec));
  assert.equal(r.code, 0, r.stderr);
  // the route goes away in the same change that breaks the image: the old route must stay
  env.spec('productpage.hspec', withoutLoadBalancer(NGINX_SPEC).replace('istio/examples-bookinfo-productpage-v1', 'acme/crashloop'));
  r = await env.run(deploy(spec), { env: { HYSCALE_BACKOFF_GRACE: '0.3' } });
  assert.equal(r.code, 5);
  assert.ok(env.object('Ingress', NS, 'dev-productpage-ingress'), 'the Ingress survives a failed rollout');
  env.spec('productpage.hspec', withoutLoadBalancer(NGINX_SPEC));
  r = await env.run(deploy(spec));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Ingress dev-productpage-ingress deleted \(no longer produced by the spec\)/);
  assert.match(r.stdout, /pruned 1 object\(s\): Ingress dev-productpage-ingress\n/);
  assert.equal(env.object('Ingress', NS, 'dev-productpage-ingress'), undefined);
});

test('prune compares API group, kind and name; objects of a previous environment go', async (t) => {
  const env = await Env.create(t);
  const spec = env.spec('productpage.hspec', withProvider(NGINX_SPEC, 'istio'));
  env.cluster.create('v1', 'namespaces', null, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  // a Gateway API Gateway with the name of the app's Istio Gateway hyscale makes: another object
  env.cluster.create('gateway.networking.k8s.io/v1', 'gateways', NS, { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway',
    metadata: { name: 'dev-bookinfo-istio-gateway', namespace: NS, labels: labels() }, spec: { gatewayClassName: 'x', listeners: [] } });
  // what a deploy of environment stage left
  env.cluster.create('networking.k8s.io/v1', 'ingresses', NS, { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress',
    metadata: { name: 'stage-productpage-ingress', namespace: NS, labels: labels('stage') }, spec: { rules: [] } });
  const r = await env.run(deploy(spec));
  assert.equal(r.code, 0, r.stderr);
  assert.ok(env.cluster.get('networking.istio.io/v1', 'gateways', NS, 'dev-bookinfo-istio-gateway'));
  assert.equal(env.cluster.get('gateway.networking.k8s.io/v1', 'gateways', NS, 'dev-bookinfo-istio-gateway'), undefined);
  assert.equal(env.object('Ingress', NS, 'stage-productpage-ingress'), undefined);
  assert.match(r.stdout, /pruned 2 object\(s\): /);
});

test('redeploy over a HyScale-deployed service: its leftovers pruned and listed; claims and shared objects kept', async (t) => {
  const env = await Env.create(t);
  const spec = env.spec('productpage.hspec', NGINX_SPEC);
  env.cluster.create('v1', 'namespaces', null, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  const add = (gv, plural, obj) => env.cluster.create(gv, plural, NS, { apiVersion: gv, ...obj });
  // HyScale's objects (reference/hyscale.md 3.2, 3.6, 3.9): the workload with its record, an agent
  // ConfigMap and Secret, its image-pull Secret (app and environment labels only), a claim
  add('apps/v1', 'deployments', { kind: 'Deployment', metadata: { name: 'productpage', labels: labels(),
    annotations: { 'hyscale.io/applied-kinds': '[Deployment:apps/v1, Service:v1, ConfigMap:v1, Secret:v1, Ingress:networking.k8s.io/v1beta1]' } },
  spec: { selector: { matchLabels: labels() }, template: { metadata: { labels: labels() }, spec: { containers: [{ name: 'productpage', image: 'x' }],
    imagePullSecrets: [{ name: 'httpsindex-docker-iov1' }] } } } });
  add('v1', 'configmaps', { kind: 'ConfigMap', metadata: { name: 'service-productpage-agent-logger', labels: labels() }, data: { a: 'b' } });
  add('v1', 'secrets', { kind: 'Secret', metadata: { name: 'service-productpage-agent-logger', labels: labels() } });
  add('v1', 'secrets', { kind: 'Secret', type: 'kubernetes.io/dockerconfigjson', metadata: { name: 'httpsindex-docker-iov1',
    labels: labels('dev', null) }, data: { '.dockerconfigjson': 'e30=' } });
  add('v1', 'persistentvolumeclaims', { kind: 'PersistentVolumeClaim', metadata: { name: 'data-productpage-0', labels: labels() } });
  // another service of the app, still HyScale's, pulls with the same Secret and mounts a ConfigMap of ours
  add('apps/v1', 'deployments', { kind: 'Deployment', metadata: { name: 'reviews', labels: labels('dev', 'reviews') },
    spec: { selector: { matchLabels: labels('dev', 'reviews') }, template: { metadata: { labels: labels('dev', 'reviews') },
      spec: { containers: [{ name: 'reviews', image: 'y' }], imagePullSecrets: [{ name: 'httpsindex-docker-iov1' }],
        volumes: [{ name: 'c', configMap: { name: 'service-productpage-agent-logger' } }] } } } });
  let r = await env.run(deploy(spec));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Secret service-productpage-agent-logger deleted \(no longer produced by the spec\)/);
  assert.match(r.stdout, /pruned 1 object\(s\): Secret service-productpage-agent-logger\n/);
  assert.ok(env.object('ConfigMap', NS, 'service-productpage-agent-logger'), 'still mounted by reviews');
  assert.ok(env.object('Secret', NS, 'httpsindex-docker-iov1'), 'still pulled with by reviews');
  assert.ok(env.object('PersistentVolumeClaim', NS, 'data-productpage-0'), 'claims hold data');
  // once nothing uses them, the next deploy takes them. (The field HyScale set on productpage
  // stays after hyscale's apply: server-side apply removes only fields its manager owned.)
  env.cluster.store.delete(env.cluster.key('apps/v1', 'deployments', NS, 'reviews'));
  delete env.object('Deployment', NS, 'productpage').spec.template.spec.imagePullSecrets;
  r = await env.run(deploy(spec));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /pruned 2 object\(s\): (ConfigMap service-productpage-agent-logger, Secret httpsindex-docker-iov1|Secret httpsindex-docker-iov1, ConfigMap service-productpage-agent-logger)\n/);
  assert.ok(env.object('PersistentVolumeClaim', NS, 'data-productpage-0'));
});

// Deletion held back as a finalizer would: the realistic server's hook, else the same by hand.
function holdDeletion(env, ms) {
  if (env.cluster.hooks?.holdDeletion) {
    env.cluster.hooks.releaseDeletion({ namespace: NS });
    return env.cluster.hooks.holdDeletion({ namespace: NS, ms });
  }
  const remove = env.cluster.remove.bind(env.cluster);
  env.cluster.remove = (gv, plural, ns, name, policy) => {
    const e = env.cluster.get(gv, plural, ns, name);
    if (!e) return false;
    if (!e.obj.metadata.deletionTimestamp) {
      e.obj.metadata.deletionTimestamp = new Date().toISOString();
      env.cluster.later(ms, () => remove(gv, plural, ns, name, policy));
    }
    return true;
  };
}

test('undeploy waits until the objects are gone (--wait=false does not; --timeout bounds it)', async (t) => {
  const env = await Env.create(t);
  const spec = env.spec('productpage.hspec', NGINX_SPEC);
  let r = await env.run(deploy(spec));
  assert.equal(r.code, 0, r.stderr);
  holdDeletion(env, 800);
  r = await env.run(undeploy());
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /waiting for 3 object\(s\) to be deleted: Ingress dev-productpage-ingress, Deployment productpage, Service productpage/);
  assert.deepEqual(mine(env), [], 'gone when undeploy returns');
  r = await env.run(deploy(spec));
  assert.equal(r.code, 0, r.stderr);
  r = await env.run(undeploy('--wait=false'));
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stdout, /waiting for/);
  assert.ok(mine(env).length > 0, 'still terminating');
  await new Promise((ok) => setTimeout(ok, 1200));
  r = await env.run(deploy(spec));
  assert.equal(r.code, 0, r.stderr);
  holdDeletion(env, 60000);
  r = await env.run(undeploy('--timeout', '1s'));
  assert.equal(r.code, 5);
  assert.match(r.stderr, /timed out after 1s waiting for 3 object\(s\) to be deleted/);
  r = await env.run(undeploy('--wait=maybe'));
  assert.equal(r.code, 2);
});
