// Cluster refusals and failed rollouts: each names the object and the API's reason, and
// exits 5 (spec errors exit 1 before any request).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Env, NGINX_SPEC, WEB_SPEC, kubeconfig, users, withProvider } from './harness.mjs';

const deploy = (f, ...more) => ['deploy', 'service', '-f', f, '-a', 'shop', '-n', 'shop', ...more];

test('422: the refused field is reported at its spec line', async (t) => {
  const env = await Env.create(t);
  const spec = env.spec('web.hspec', WEB_SPEC('library/nginx', 10));
  const r = await env.run(deploy(spec));
  assert.equal(r.code, 5);
  assert.match(r.stderr, new RegExp(`${spec}:6:\\d+: error: replicas: the cluster rejected Deployment web: spec\\.replicas: ` +
    'Invalid value: 10: must be less than or equal to 5 \\(ValidatingAdmissionPolicy \'max-replicas\'\\)'));
  assert.match(r.stderr, /^\/.*web\.hspec:6:1: error: replicas: /);   // compiler-style, at the start of the line
  assert.match(r.stderr, /hyscale: error: web: the cluster rejected the spec; nothing after it was applied\n$/);
  assert.equal(env.objects('Deployment', 'shop').length, 0);
});

test('409: a field owned by another manager; --force-conflicts takes it over', async (t) => {
  const env = await Env.create(t);
  const spec = env.spec('web.hspec', WEB_SPEC('library/nginx', 2));
  let r = await env.run(deploy(spec));
  assert.equal(r.code, 0, r.stderr);
  // someone scales with their own field manager
  const [code] = env.cluster.apply('apps/v1', 'deployments', 'Deployment', 'shop', 'web',
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 4 } }, 'kubectl', true);
  assert.equal(code, 200);
  r = await env.run(deploy(spec));
  assert.equal(r.code, 5);
  assert.match(r.stderr, /web: apply Deployment web in namespace shop: conflict: Apply failed with 1 conflict: conflict with "kubectl": \.spec\.replicas/);
  assert.match(r.stderr, /rerun with --force-conflicts/);
  r = await env.run(deploy(spec, '--force-conflicts'));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(env.object('Deployment', 'shop', 'web').spec.replicas, 2);
});

test('403 names the verb and resource; 401 names the context', async (t) => {
  const env = await Env.create(t);
  const spec = env.spec('web.hspec', WEB_SPEC());
  const viewer = kubeconfig(env.dir, 'viewer', env.cluster.port, users.token('viewer-token'));
  let r = await env.run(['deploy', 'service', '-f', spec, '-a', 'shop', '-n', 'default'], { kubeconfig: viewer });
  assert.equal(r.code, 5);
  assert.match(r.stderr, /web: apply Service web in namespace default: forbidden: no permission to patch services — API says: services "web" is forbidden: User "viewer" cannot patch resource "services"/);
  const bad = kubeconfig(env.dir, 'bad', env.cluster.port, users.token('wrong'));
  r = await env.run(deploy(spec), { kubeconfig: bad });
  assert.equal(r.code, 5);
  assert.match(r.stderr, /the cluster rejected the credentials of context 'test' \(401 Unauthorized\)/);
});

test('CrashLoopBackOff and ImagePullBackOff end the wait with the kubelet\'s message', async (t) => {
  const env = await Env.create(t);
  let spec = env.spec('web.hspec', WEB_SPEC('acme/crashloop'));
  let r = await env.run(deploy(spec), { env: { HYSCALE_BACKOFF_GRACE: '0.3' } });
  assert.equal(r.code, 5);
  assert.match(r.stderr, /web: Deployment web did not start: pod web-[a-z0-9]+-[a-z0-9]{5}: container web: CrashLoopBackOff: back-off 40s restarting failed container=web .*\(restarts: 4\)/);
  spec = env.spec('api.hspec', WEB_SPEC('acme/no-such-image').replace('name: web', 'name: api'));
  // a pull back-off fails once it outlasts the grace (HYSCALE_BACKOFF_GRACE; 120 s by default)
  r = await env.run(deploy(spec, '-o', 'json'), { env: { HYSCALE_BACKOFF_GRACE: '0.3' } });
  assert.equal(r.code, 5);
  const js = JSON.parse(r.stdout);
  assert.equal(js.serviceStatus[0].status, 'Failed');
  assert.equal(js.serviceStatus[0].exitCode, 5);
  assert.match(js.serviceStatus[0].message, /ImagePullBackOff: Back-off pulling image "registry\.hub\.docker\.com\/acme\/no-such-image:1\.25"/);
  // status shows the same diagnosis
  r = await env.run(['get', 'app', 'status', '-a', 'shop', '-n', 'shop']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /web +Failed .*CrashLoopBackOff/);
  assert.match(r.stdout, /api +Failed .*ImagePullBackOff/);
  // a fixed image rolls out although the old crash-looping pods are still there at first
  spec = env.spec('web.hspec', WEB_SPEC('library/nginx'));
  r = await env.run(deploy(spec));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /waiting for Deployment web: 0\/1 ready/);
  assert.match(r.stdout, /waiting for Deployment web: 1\/1 ready/);
  r = await env.run(['get', 'app', 'status', '-a', 'shop', '-n', 'shop']);
  assert.match(r.stdout, /web +Running/);
});

test('rollout timeout is bounded by --timeout', async (t) => {
  const env = await Env.create(t, { config: { readyDelayMs: 60000 } });
  const spec = env.spec('web.hspec', WEB_SPEC());
  const r = await env.run(deploy(spec, '--timeout', '1s'));
  assert.equal(r.code, 5);
  assert.match(r.stderr, /web: timed out after 1s waiting for Deployment web: 0\/1 ready/);
  assert.ok(r.ms < 5000, `took ${r.ms} ms`);
  const st = await env.run(['get', 'service', 'status', '-s', 'web', '-a', 'shop', '-n', 'shop']);
  assert.equal(st.code, 0);
  assert.match(st.stdout, /web +Not Running +\d+s +- +- +0\/1 ready(; [^\n]*)?\n/);
  const u = await env.run(deploy(spec, '--timeout', 'soon'));
  assert.equal(u.code, 2);
  assert.match(u.stderr, /--timeout takes a duration/);
});

test('a spec error stops before any request; a missing CRD is named', async (t) => {
  const env = await Env.create(t, { missing: ['gateway.networking.k8s.io'] });
  const bad = env.spec('bad.hspec', 'name: web\nports:\n  - port: 99999\n');
  let r = await env.run(deploy(bad));
  assert.equal(r.code, 1);
  assert.match(r.stderr, /nothing was deployed/);
  r = await env.run(deploy(bad, '-o', 'json'));
  assert.equal(r.code, 1);
  assert.deepEqual(JSON.parse(r.stdout), { serviceStatus: [], deploymentError: 'a spec was rejected; see the diagnostics on stderr' });
  assert.equal(env.cluster.log.length, 0);
  const spec = env.spec('productpage.hspec', withProvider(NGINX_SPEC, 'gateway'));
  r = await env.run(deploy(spec));
  assert.equal(r.code, 5);
  // the app's shared Gateway is applied first; without it nothing else is
  assert.match(r.stderr, /the entry point of app shop: apply Gateway dev-shop-gateway in namespace shop: the cluster does not serve gateway\.networking\.k8s\.io\/v1 Gateway \(is its CRD installed\?\); no service was deployed/);
  assert.doesNotMatch(r.stderr, /HTTPRoute/);
});

test('the API server\'s warnings are shown with the object', async (t) => {
  const env = await Env.create(t);
  const spec = env.spec('productpage.hspec', `${NGINX_SPEC}  annotations:\n    kubernetes.io/ingress.class: nginx\n`);
  const r = await env.run(deploy(spec));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /hyscale: warning: Ingress dev-productpage-ingress: the cluster says: annotation "kubernetes\.io\/ingress\.class" is deprecated, please use 'spec\.ingressClassName' instead\n/);
});
