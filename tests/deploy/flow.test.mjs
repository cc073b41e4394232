// deploy → status → redeploy (unchanged, then changed) → undeploy against the test API server:
// the applied objects are what `generate` writes, redeploy changes nothing, objects the spec
// no longer produces are deleted, status and URLs are right for every provider.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { spawn } from 'node:child_process';
import { Env, HYSCALE, NGINX_SPEC, WEB_SPEC, YAML, applied, kubeconfig, users, withoutLoadBalancer, withProvider } from './harness.mjs';

const NS = 'shop';
const deployArgs = (f) => ['deploy', 'service', '-f', f, '-a', 'bookinfo', '-n', NS];

test('deploy, status, redeploy, change, undeploy', async (t) => {
  const env = await Env.create(t);
  const spec = env.spec('productpage.hspec', NGINX_SPEC);

  // deploy: namespace created, objects applied, rollout waited for, URLs printed
  let r = await env.run(deployArgs(spec));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /namespace shop created/);
  assert.match(r.stdout, /Deployment productpage created/);
  assert.match(r.stdout, /waiting for Deployment productpage: 2\/2 ready/);
  assert.match(r.stdout, /Service IP  : 127\.0\.0\.1\n/);
  assert.match(r.stdout, /Service URL : https:\/\/bookinfo\.example\.com\/productpage\n/);
  assert.match(r.stdout, /https:\/\/bookinfo\.example\.com\/admin\n/);
  assert.match(r.stdout, /https:\/\/bookinfo\.example\.com\/login\n/);
  assert.ok(env.object('Namespace', undefined, NS));

  // the applied objects are exactly what generate writes (plus hyscale's applied-kinds record)
  const gen = await env.run(['generate', 'service', 'manifests', '-f', spec, '-a', 'bookinfo', '-n', NS, '--stdout']);
  assert.equal(gen.code, 0, gen.stderr);
  const docs = YAML.parseAllDocuments(gen.stdout).map((d) => d.toJS()).filter(Boolean);
  assert.deepEqual(docs.map((d) => d.kind).sort(), ['Deployment', 'Ingress', 'Service']);
  for (const d of docs) {
    const live = env.object(d.kind, NS, d.metadata.name);
    assert.ok(live, `${d.kind} ${d.metadata.name} applied`);
    assert.deepEqual(applied(live), d, `${d.kind} ${d.metadata.name} equals the generated manifest`);
    assert.deepEqual(live.metadata.managedFields.filter((m) => !m.subresource).map((m) => m.manager), ['hyscale']);
  }
  const dep = env.object('Deployment', NS, 'productpage');
  assert.equal(dep.metadata.annotations['hyscale.io/applied-kinds'],
    'Service:v1,Deployment:apps/v1,Ingress:networking.k8s.io/v1');
  // apply order: Service and Deployment before the route
  const patches = env.cluster.log.filter((l) => l.method === 'PATCH').map((l) => l.path.split('?')[0].split('/').slice(-2)[0]);
  assert.deepEqual(patches, ['services', 'deployments', 'ingresses']);

  // status table and JSON
  r = await env.run(['get', 'service', 'status', '-s', 'productpage', '-a', 'bookinfo', '-n', NS]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^SERVICE NAME +STATUS +AGE +SERVICE ADDRESS +SERVICE URL +MESSAGE\n/);
  assert.match(r.stdout, /productpage +Running +\d+s +127\.0\.0\.1 +https:\/\/bookinfo\.example\.com\/productpage,/);
  r = await env.run(['get', 'app', 'status', '-a', 'bookinfo', '-n', NS, '-o', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const js = JSON.parse(r.stdout);
  assert.equal(js.serviceStatus.length, 1);
  assert.equal(js.serviceStatus[0].name, 'productpage');
  assert.equal(js.serviceStatus[0].status, 'Running');
  assert.equal(js.serviceStatus[0].address, '127.0.0.1');
  assert.deepEqual(js.serviceStatus[0].urls, ['https://bookinfo.example.com/productpage',
    'https://bookinfo.example.com/admin', 'https://bookinfo.example.com/login']);

  // redeploy unchanged: idempotent (no object changes its resourceVersion), and said so, as kubectl says it
  const versions = () => Object.fromEntries(['Deployment', 'Service', 'Ingress'].map((k) =>
    [k, env.objects(k, NS).map((o) => o.metadata.resourceVersion).join()]));
  const before = versions();
  r = await env.run(deployArgs(spec));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /  Service productpage unchanged\n  Deployment productpage unchanged\n  Ingress dev-productpage-ingress unchanged\n/);
  assert.deepEqual(versions(), before);
  assert.equal(env.object('Deployment', NS, 'productpage').metadata.generation, 1);

  // changed spec: loadBalancer removed → the Ingress is deleted; replicas change rolls out
  fs.writeFileSync(spec, withoutLoadBalancer(NGINX_SPEC).replace('replicas: 2', 'replicas: 3'));
  r = await env.run(deployArgs(spec));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Ingress dev-productpage-ingress deleted \(no longer produced by the spec\)/);
  assert.equal(env.objects('Ingress', NS).length, 0);
  assert.equal(env.object('Deployment', NS, 'productpage').spec.replicas, 3);
  assert.match(r.stdout, /3\/3 ready/);
  // external: true without loadBalancer: a LoadBalancer Service, its address and ports, no URL
  assert.match(r.stdout, /Service IP  : 127\.0\.0\.1:9080,127\.0\.0\.1:9090\n/);
  assert.doesNotMatch(r.stdout, /Service URL/);
  assert.equal(env.object('Deployment', NS, 'productpage').metadata.annotations['hyscale.io/applied-kinds'],
    'Service:v1,Deployment:apps/v1');

  // a PersistentVolumeClaim of the service survives undeploy and is named
  env.cluster.create('v1', 'persistentvolumeclaims', NS, { apiVersion: 'v1', kind: 'PersistentVolumeClaim',
    metadata: { name: 'data-productpage-0', labels: { 'hyscale.io/app-name': 'bookinfo', 'hyscale.io/service-name': 'productpage' } } });
  r = await env.run(['undeploy', 'service', '-s', 'productpage', '-a', 'bookinfo', '-n', NS]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Deployment productpage deleted/);
  assert.match(r.stdout, /Service productpage deleted/);
  assert.match(r.stdout, /kept PersistentVolumeClaim\(s\) data-productpage-0/);
  for (const k of ['Deployment', 'Service', 'Ingress', 'Pod']) assert.equal(env.objects(k, NS).length, 0, k);
  assert.equal(env.objects('PersistentVolumeClaim', NS).length, 1);
  assert.ok(env.object('Namespace', undefined, NS), 'the namespace is kept');

  // undeploy again: nothing to do, not an error; status says Not Deployed
  r = await env.run(['undeploy', 'service', '-s', 'productpage', '-a', 'bookinfo', '-n', NS]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /is not deployed in namespace shop; nothing to delete/);
  r = await env.run(['get', 'service', 'status', '-s', 'productpage', '-a', 'bookinfo', '-n', NS]);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /productpage +Not Deployed/);
});

test('provider change: the Ingress goes, the Gateway API objects come, with their address', async (t) => {
  const env = await Env.create(t);
  const spec = env.spec('productpage.hspec', NGINX_SPEC);
  let r = await env.run(deployArgs(spec));
  assert.equal(r.code, 0, r.stderr);
  fs.writeFileSync(spec, withProvider(NGINX_SPEC, 'gateway'));
  r = await env.run(deployArgs(spec));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(env.objects('Ingress', NS).length, 0);
  assert.equal(env.objects('Gateway', NS).length, 1);
  assert.equal(env.objects('HTTPRoute', NS).length, 2);
  assert.match(r.stdout, /Service IP  : localhost\n/);   // Gateway status.addresses
  assert.match(r.stdout, /Service URL : https:\/\/bookinfo\.example\.com\/productpage\n/);
  assert.doesNotMatch(r.stdout, /http:\/\//);           // the redirect route gives no URL
  r = await env.run(['undeploy', 'app', '-a', 'bookinfo', '-n', NS]);
  assert.equal(r.code, 0, r.stderr);
  for (const k of ['Deployment', 'Service', 'Gateway', 'HTTPRoute']) assert.equal(env.objects(k, NS).length, 0, k);
});

test('istio: the address is the ingress gateway Service\'s', async (t) => {
  const env = await Env.create(t);
  const spec = env.spec('productpage.hspec', withProvider(NGINX_SPEC, 'istio'));
  const r = await env.run([...deployArgs(spec), '-o', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const js = JSON.parse(r.stdout);
  assert.equal(js.serviceStatus[0].status, 'Running');
  assert.equal(js.serviceStatus[0].address, '127.0.0.1');
  assert.ok(js.serviceStatus[0].urls.includes('https://bookinfo.example.com/login'));
  assert.equal(env.objects('VirtualService', NS).length, 1);
  // not allowed to list Services cluster-wide: the placeholder at once, no waiting in vain
  const deployer = kubeconfig(env.dir, 'deployer', env.cluster.port, users.token('deployer-token'));
  const again = await env.run(deployArgs(spec), { kubeconfig: deployer, env: { HYSCALE_ADDRESS_TIMEOUT: '30' } });
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /Service IP  : <External IP of istio-ingress-gateway>\n/);
  assert.ok(again.ms < 10000, `took ${again.ms} ms`);
});

test('external without loadBalancer: the Service address with its ports; placeholder when none', async (t) => {
  const env = await Env.create(t);
  const spec = env.spec('web.hspec', `name: web
image:
  registry: registry.hub.docker.com
  name: library/nginx
  tag: "1.25"
external: true
ports:
  - port: 80/http
  - port: 443/https
`);
  let r = await env.run(deployArgs(spec).map((a) => (a === 'bookinfo' ? 'web-app' : a)));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(env.object('Service', NS, 'web').spec.type, 'LoadBalancer');
  assert.match(r.stdout, /Service IP  : 127\.0\.0\.1:80,127\.0\.0\.1:443\n/);

  // no address within the bounded wait: HyScale's placeholder, still a successful deploy
  env.cluster.config.lbDelayMs = -1;
  fs.writeFileSync(spec, NGINX_SPEC);
  r = await env.run(['deploy', 'service', '-f', spec, '-a', 'other', '-n', NS], { env: { HYSCALE_ADDRESS_TIMEOUT: '0.5' } });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Service IP  : <External IP of Ingress controller service>\n/);
  assert.match(r.stdout, /no load balancer address appeared within 0\.5s/);
});

test('several services in one deploy; a StatefulSet in status and undeploy app', async (t) => {
  const env = await Env.create(t);
  const web = env.spec('web.hspec', WEB_SPEC());
  const api = env.spec('api.hspec', WEB_SPEC().replace('name: web', 'name: api'));
  let r = await env.run(['deploy', 'service', '-f', `${web},${api}`, '-a', 'bookinfo', '-n', NS]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /web: deployed in \d+s/);
  assert.match(r.stdout, /api: deployed in \d+s/);
  // a StatefulSet service with its claim, as a volumes spec deploys it
  const labels = { 'hyscale.io/app-name': 'bookinfo', 'hyscale.io/environment-name': 'dev', 'hyscale.io/service-name': 'db' };
  const [code] = env.cluster.apply('apps/v1', 'statefulsets', 'StatefulSet', NS, 'db', { apiVersion: 'apps/v1', kind: 'StatefulSet',
    metadata: { name: 'db', labels, annotations: { 'hyscale.io/applied-kinds': 'StatefulSet:apps/v1' } },
    spec: { replicas: 1, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'db', image: 'postgres:16' }] } } } },
  'hyscale', false);
  assert.equal(code, 201);
  env.cluster.create('v1', 'persistentvolumeclaims', NS, { apiVersion: 'v1', kind: 'PersistentVolumeClaim',
    metadata: { name: 'data-db-0', labels } });
  r = await env.run(['get', 'app', 'status', '-a', 'bookinfo', '-n', NS, '-o', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const st = Object.fromEntries(JSON.parse(r.stdout).serviceStatus.map((s) => [s.name, s.status]));
  assert.deepEqual(Object.keys(st).sort(), ['api', 'db', 'web']);
  assert.equal(st.web, 'Running');
  assert.equal(st.api, 'Running');
  assert.ok(['Running', 'Not Running'].includes(st.db));
  await new Promise((ok) => setTimeout(ok, 300));   // the controller makes the StatefulSet ready
  r = await env.run(['get', 'service', 'status', '-s', 'db', '-a', 'bookinfo', '-n', NS]);
  assert.match(r.stdout, /db +Running/);
  r = await env.run(['undeploy', 'app', '-a', 'bookinfo', '-n', NS]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /StatefulSet db deleted/);
  assert.match(r.stdout, /kept PersistentVolumeClaim\(s\) data-db-0/);
  for (const k of ['Deployment', 'StatefulSet', 'Service', 'Pod']) assert.equal(env.objects(k, NS).length, 0, k);
  assert.equal(env.objects('PersistentVolumeClaim', NS).length, 1);
});

test('on a terminal the progress line is rewritten in place', async (t) => {
  const env = await Env.create(t, { config: { readyDelayMs: 400 } });
  const spec = env.spec('web.hspec', WEB_SPEC());
  // script(1) gives hyscale a pseudo-terminal
  const child = spawn('script', ['-qec', `${HYSCALE} deploy service -f ${spec} -a shop -n ${NS}`, '/dev/null'], {
    env: { PATH: process.env.PATH, HOME: env.dir, KUBECONFIG: env.kubeconfig, HYSCALE_POLL_INTERVAL: '0.05',
      ASAN_OPTIONS: process.env.ASAN_OPTIONS || '', UBSAN_OPTIONS: process.env.UBSAN_OPTIONS || '' },
    stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  const code = await new Promise((ok) => child.on('close', ok));
  assert.equal(code, 0, out);
  assert.match(out, /\r\x1b\[K  waiting for Deployment web: 0\/1 ready[^\r\n]*\r\x1b\[K  waiting for Deployment web: 1\/1 ready\r?\n/);
});

test('every provider: the applied objects are what generate writes', async (t) => {
  const env = await Env.create(t);
  for (const p of ['traefik', 'istio', 'gateway']) {
    const spec = env.spec(`${p}.hspec`, withProvider(NGINX_SPEC, p));
    const ns = `ns-${p}`;
    const r = await env.run(['deploy', 'service', '-f', spec, '-a', 'bookinfo', '-n', ns]);
    assert.equal(r.code, 0, r.stderr);
    const gen = await env.run(['generate', 'service', 'manifests', '-f', spec, '-a', 'bookinfo', '-n', ns, '--stdout']);
    const docs = YAML.parseAllDocuments(gen.stdout).map((d) => d.toJS()).filter(Boolean);
    assert.ok(docs.length >= 4, p);
    for (const d of docs) {
      const live = [...env.cluster.store.values()].map((e) => e.obj)
        .find((o) => o.kind === d.kind && o.apiVersion === d.apiVersion && o.metadata.namespace === ns && o.metadata.name === d.metadata.name);
      assert.ok(live, `${p}: ${d.kind} ${d.metadata.name} applied`);
      assert.deepEqual(applied(live), d, `${p}: ${d.kind} ${d.metadata.name}`);
    }
    const kinds = env.object('Deployment', ns, 'productpage').metadata.annotations['hyscale.io/applied-kinds'].split(',');
    // the service's record names its own kinds; the app's shared Gateway (no service label) is the app's
    const own = docs.filter((d) => d.metadata.labels?.['hyscale.io/service-name']);
    assert.deepEqual(kinds.sort(), [...new Set(own.map((d) => `${d.kind}:${d.apiVersion}`))].sort(), p);
  }
});

test('a CRD object from a k8sSnippet: path and scope from API discovery', async (t) => {
  const env = await Env.create(t);
  fs.mkdirSync(`${env.dir}/snippets`);
  env.spec('snippets/widget.yaml', 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: web-widget\nspec:\n  size: 3\n');
  const spec = env.spec('web.hspec', `${WEB_SPEC()}k8sSnippets:\n  - snippets/widget.yaml\n`);
  let r = await env.run(['deploy', 'service', '-f', spec, '-a', 'shop', '-n', NS, '-v']);
  assert.equal(r.code, 0, r.stderr);
  // irregular plural, cluster scope: only discovery gives /apis/example.com/v1/widgetry/web-widget
  assert.match(r.stderr, /PATCH \/apis\/example\.com\/v1\/widgetry\/web-widget\?fieldManager=hyscale → 201/);
  assert.equal(env.cluster.log.filter((l) => l.path === '/apis/example.com/v1').length, 1, 'discovery read once');
  assert.equal(env.objects('Widget')[0].spec.size, 3);
  r = await env.run(['undeploy', 'app', '-a', 'shop', '-n', NS]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Widget web-widget deleted/);
  assert.equal(env.objects('Widget').length, 0);
});

test('a deploy that fails before pruning keeps the old kinds on record; the next one cleans up', async (t) => {
  const env = await Env.create(t);
  const spec = env.spec('productpage.hspec', NGINX_SPEC);
  let r = await env.run(deployArgs(spec));
  assert.equal(r.code, 0, r.stderr);
  fs.writeFileSync(spec, withoutLoadBalancer(NGINX_SPEC));
  // listing the Ingresses to prune fails (3 tries = every attempt of this run)
  env.cluster.faults.push({ match: '/ingresses?labelSelector', method: 'GET', type: '500', remaining: 3 });
  r = await env.run(deployArgs(spec));
  assert.equal(r.code, 5);
  assert.match(r.stderr, /list Ingress objects in namespace shop: InternalError/);
  const rec = () => env.object('Deployment', NS, 'productpage').metadata.annotations['hyscale.io/applied-kinds'];
  assert.equal(rec(), 'Service:v1,Deployment:apps/v1,Ingress:networking.k8s.io/v1');
  assert.equal(env.objects('Ingress', NS).length, 1);
  r = await env.run(deployArgs(spec));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(env.objects('Ingress', NS).length, 0);
  assert.equal(rec(), 'Service:v1,Deployment:apps/v1');
});
