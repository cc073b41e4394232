// Network and server faults: connection refused, a stalled response, 500 then success, 429 with
// Retry-After, a connection dropped mid-body, and Ctrl-C during the rollout wait.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { spawn } from 'node:child_process';
import { Env, HYSCALE, WEB_SPEC, kubeconfig, users } from './harness.mjs';

const deploy = (f) => ['deploy', 'service', '-f', f, '-a', 'shop', '-n', 'shop'];
const statuses = (env, frag) => env.cluster.log.filter((l) => l.path.includes(frag)).map((l) => `${l.method} ${l.status}`);

test('connection refused: retried, then a clear error', async (t) => {
  const env = await Env.create(t);
  const port = await new Promise((ok) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => ok(p)); }); });
  const cfg = kubeconfig(env.dir, 'closed', port, users.certFiles(env.dir));
  const r = await env.run(deploy(env.spec('web.hspec', WEB_SPEC())), { kubeconfig: cfg });
  assert.equal(r.code, 5);
  assert.match(r.stderr, new RegExp(`get Namespace shop: cannot reach the cluster at https://127\\.0\\.0\\.1:${port}: .*(refused|Couldn't connect).* \\(3 attempts\\)`));
});

test('a stalled response times out and is retried; a server that never answers fails in bounded time', async (t) => {
  const env = await Env.create(t);
  const spec = env.spec('web.hspec', WEB_SPEC());
  env.cluster.faults.push({ match: '/api/v1/namespaces/shop', method: 'GET', type: 'stall', remaining: 1 });
  let r = await env.run(deploy(spec), { env: { HYSCALE_REQUEST_TIMEOUT: '0.5' } });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(statuses(env, '/api/v1/namespaces/shop').slice(0, 2), ['GET stall', 'GET 404']);
  env.cluster.faults.push({ match: '/deployments/web', method: 'GET', type: 'stall', remaining: 100 });
  r = await env.run(deploy(spec), { env: { HYSCALE_REQUEST_TIMEOUT: '0.3' } });
  assert.equal(r.code, 5);
  assert.match(r.stderr, /get Deployment web in namespace shop: cannot reach the cluster at .*: Operation timed out .* \(3 attempts\)/);
  assert.ok(r.ms < 5000, `took ${r.ms} ms`);
});

test('500 then success, and 429 with Retry-After, are retried', async (t) => {
  const env = await Env.create(t);
  const spec = env.spec('web.hspec', WEB_SPEC());
  env.cluster.faults.push({ match: '/deployments/web?fieldManager', method: 'PATCH', type: '500', remaining: 1 });
  let r = await env.run([...deploy(spec), '-v']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(statuses(env, '/deployments/web?fieldManager'), ['PATCH 500', 'PATCH 201']);
  assert.match(r.stderr, /hyscale: PATCH \/apis\/apps\/v1\/namespaces\/shop\/deployments\/web\?fieldManager=hyscale → 500 \(\d+ ms\)\nhyscale: PATCH \/apis\/apps\/v1\/namespaces\/shop\/deployments\/web\?fieldManager=hyscale → 201/);
  env.cluster.faults.push({ match: '/services/web?fieldManager', method: 'PATCH', type: '429', remaining: 1 });
  r = await env.run(deploy(spec));
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(statuses(env, '/services/web?fieldManager').slice(-2), ['PATCH 429', 'PATCH 200']);
  assert.ok(r.ms >= 1000, `Retry-After: 1 honoured (${r.ms} ms)`);
  // a 500 that persists is reported with the API's message
  env.cluster.faults.push({ match: '/services/web?fieldManager', method: 'PATCH', type: '500', remaining: 10 });
  r = await env.run(deploy(spec));
  assert.equal(r.code, 5);
  assert.match(r.stderr, /apply Service web in namespace shop: InternalError: an error on the server/);
});

test('a connection dropped mid-body is retried', async (t) => {
  const env = await Env.create(t);
  const spec = env.spec('web.hspec', WEB_SPEC());
  env.cluster.faults.push({ match: '/deployments/web', method: 'GET', type: 'drop', remaining: 1 });
  const r = await env.run(deploy(spec));
  assert.equal(r.code, 0, r.stderr);
  // the first read of the Deployment (the rollout wait's) is cut, and read again
  assert.deepEqual(statuses(env, 'deployments/web').filter((s) => s.startsWith('GET')).slice(0, 2), ['GET drop', 'GET 200']);
});

test('Ctrl-C during the rollout wait stops cleanly', async (t) => {
  const env = await Env.create(t, { config: { readyDelayMs: 60000 } });
  const spec = env.spec('web.hspec', WEB_SPEC());
  const child = spawn(HYSCALE, deploy(spec), { env: { PATH: process.env.PATH, HOME: env.dir, KUBECONFIG: env.kubeconfig,
    HYSCALE_POLL_INTERVAL: '0.05', ASAN_OPTIONS: process.env.ASAN_OPTIONS || '' } });
  let out = '', err = '';
  child.stdout.on('data', (d) => {
    out += d;
    if (/waiting for Deployment web/.test(out) && !child.killed) child.kill('SIGINT');
  });
  child.stderr.on('data', (d) => { err += d; });
  const code = await new Promise((ok) => child.on('close', ok));
  assert.equal(code, 130, err);
  assert.match(err, /web: interrupted/);
  assert.match(err, /hyscale: interrupted; the objects applied so far stay in the cluster/);
});
