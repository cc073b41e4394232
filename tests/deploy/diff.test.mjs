// `hyscale diff service` and `hyscale deploy --dry-run=server`: the API server merges every object
// as a dry run (nothing is stored), the diff is diff -u of live against merged, exit 0 without
// differences and 1 with (kubectl diff's codes), objects a deploy would prune show as removed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Env, NGINX_SPEC, withoutLoadBalancer } from './harness.mjs';

const NS = 'shop';
const args = (cmd, f, ns = NS) => [...cmd, '-f', f, '-a', 'bookinfo', '-n', ns];
const diff = (f, ns) => args(['diff', 'service'], f, ns);
const deploy = (f) => args(['deploy', 'service'], f);

// dryRun=All on the first test server (the realistic one does it itself): the request is
// answered as usual, then the store is put back as it was.
function dryRunServer(env) {
  if (env.cluster.hooks) return;
  const api = env.cluster.api.bind(env.cluster);
  env.cluster.api = (req, url, body, send, user) => {
    if (req.method !== 'PATCH' || url.searchParams.get('dryRun') !== 'All') return api(req, url, body, send, user);
    const saved = new Map([...env.cluster.store].map(([k, e]) => [k, { ...e, obj: structuredClone(e.obj),
      managers: new Map([...e.managers].map(([m, c]) => [m, structuredClone(c)])) }]));
    const rv = env.cluster.rv;
    const out = api(req, url, body, send, user);
    env.cluster.store = saved;
    env.cluster.rv = rv;
    return out;
  };
}
const snapshot = (env) => JSON.stringify([...env.cluster.store.entries()].filter(([, e]) => e.obj.kind !== 'Pod')
  .map(([k, e]) => [k, e.obj.metadata.resourceVersion]).sort());

test('diff: exit 0 without changes, 1 with a unified diff; nothing is stored', async (t) => {
  const env = await Env.create(t);
  dryRunServer(env);
  const spec = env.spec('productpage.hspec', NGINX_SPEC);
  let r = await env.run(deploy(spec));
  assert.equal(r.code, 0, r.stderr);
  r = await env.run(diff(spec));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
  const before = snapshot(env);
  env.spec('productpage.hspec', withoutLoadBalancer(NGINX_SPEC).replace('replicas: 2', 'replicas: 3'));
  r = await env.run(diff(spec));
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /^--- LIVE\/apps\.v1\.Deployment\.shop\.productpage\n\+\+\+ MERGED\/apps\.v1\.Deployment\.shop\.productpage\n/m);
  assert.match(r.stdout, /^-  replicas: 2\n\+  replicas: 3\n/m);
  assert.match(r.stdout, /^-  generation: 1\n\+  generation: 2\n/m);
  // the route a deploy would prune: all removed
  assert.match(r.stdout, /^--- LIVE\/networking\.k8s\.io\.v1\.Ingress\.shop\.dev-productpage-ingress\n\+\+\+ MERGED\/networking\.k8s\.io\.v1\.Ingress\.shop\.dev-productpage-ingress\n@@ -1,\d+ \+0,0 @@\n-apiVersion: networking\.k8s\.io\/v1\n/m);
  assert.doesNotMatch(r.stdout, /managedFields/);
  assert.equal(snapshot(env), before, 'diff stores nothing');
  assert.equal(env.object('Deployment', NS, 'productpage').spec.replicas, 2);
});

test('deploy --dry-run=server says what would change and changes nothing', async (t) => {
  const env = await Env.create(t);
  dryRunServer(env);
  const spec = env.spec('productpage.hspec', NGINX_SPEC);
  let r = await env.run(deploy(spec));
  assert.equal(r.code, 0, r.stderr);
  const before = snapshot(env);
  env.spec('productpage.hspec', NGINX_SPEC.replace('replicas: 2', 'replicas: 3'));
  r = await env.run([...deploy(spec), '--dry-run=server']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /  Service productpage unchanged \(server dry run\)\n  Deployment productpage configured \(server dry run\)\n  Ingress dev-productpage-ingress unchanged \(server dry run\)\n/);
  env.spec('productpage.hspec', withoutLoadBalancer(NGINX_SPEC));
  r = await env.run([...deploy(spec), '--dry-run=server']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /  Ingress dev-productpage-ingress would be deleted \(no longer produced by the spec\) \(server dry run\)\n/);
  assert.match(r.stdout, /productpage: the cluster accepted every object; nothing was changed \(server dry run\)/);
  assert.doesNotMatch(r.stdout, /waiting for/);
  assert.equal(snapshot(env), before, 'dry run stores nothing');
  r = await env.run([...deploy(spec), '--dry-run=client']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--dry-run takes =server/);
});

test('diff: a namespace not created yet shows every object as new; a spec error exits 2', async (t) => {
  const env = await Env.create(t);
  dryRunServer(env);
  const spec = env.spec('productpage.hspec', NGINX_SPEC);
  let r = await env.run(diff(spec, 'fresh'));
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /^\+\+\+ MERGED\/v1\.Service\.fresh\.productpage\n@@ -0,0 \+1,\d+ @@\n\+apiVersion: v1\n/m);
  assert.equal(env.object('Namespace', undefined, 'fresh'), undefined);
  const bad = env.spec('bad.hspec', 'name: web\nports:\n  - port: 99999\n');
  r = await env.run(diff(bad));
  assert.equal(r.code, 2);
  assert.match(r.stderr, /nothing was compared/);
});
