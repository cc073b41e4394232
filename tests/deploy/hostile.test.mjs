// The cluster client against a hostile API server and hostile credentials (issue 11): bodies that are
// not JSON (cut short, an HTML page), bodies too large, a server dripping one byte at a time, cluster
// strings carrying escape sequences and forged diagnostic lines, tokens with CR/LF, a server URL with
// a password, a namespace that is a path, a token over plain http, and exec plugins run as kubectl
// runs them. Every case checks the exit code, that nothing crashed (the ASan build runs this too),
// and that no secret and no raw control character reaches the terminal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { WEB_SPEC, b64, users } from './harness.mjs';
import { Hostile, json, notFound } from './hostile-server.mjs';

const deploy = (f, ...more) => ['deploy', 'service', '-f', f, '-a', 'shop', '-n', 'shop', ...more];
const appStatus = ['get', 'app', 'status', '-a', 'shop', '-n', 'shop'];
const undeployApp = ['undeploy', 'app', '-a', 'shop', '-n', 'shop'];

// No crash, no sanitizer report, and nothing that drives the terminal or forges a line.
function clean(r, ...secrets) {
  assert.equal(r.signal, null, `killed by ${r.signal}: ${r.stderr}`);
  assert.doesNotMatch(r.stderr, /AddressSanitizer|LeakSanitizer|runtime error|double free|free\(\)/);
  for (const [name, text] of [['stdout', r.stdout], ['stderr', r.stderr]]) {
    assert.doesNotMatch(text, /[\x00-\x08\x0b-\x1f\x7f]/, `raw control character on ${name}: ${JSON.stringify(text)}`);
    assert.doesNotMatch(text, /^hyscale: error: forged/m, `forged line on ${name}`);
    for (const s of secrets) assert.ok(!text.includes(s), `${name} shows the secret ${s}: ${text}`);
  }
}

test('a body that is not JSON (cut short, an HTML page, wrong Content-Type) is a clear error, never a crash', async (t) => {
  const h = await Hostile.create(t);
  const spec = h.spec();
  // cut short, on the first request of each command
  h.srv.handler = (req, api) => (req.method === 'GET' ? { status: 200, headers: [['Content-Type', 'application/json']],
    body: '{"kind":"Namespace","apiVersion":"v1","metadata":{"name":"sh' } : api(req));
  for (const args of [deploy(spec), appStatus, undeployApp]) {
    const r = await h.run(args);
    clean(r);
    assert.equal(r.code, 5, r.stderr);
    assert.match(r.stderr, /the response is not valid JSON/);
  }
  // a proxy's login page with 200: undeploy must not say "nothing to delete"
  h.srv.handler = () => ({ status: 200, headers: [['Content-Type', 'text/html']],
    body: '<html><body>Please log in</body></html>' });
  for (const args of [undeployApp, appStatus, deploy(spec)]) {
    const r = await h.run(args);
    clean(r);
    assert.equal(r.code, 5, r.stdout + r.stderr);
    assert.doesNotMatch(r.stdout, /nothing to delete|no services deployed/);
    assert.match(r.stderr, /HTTP 200 with Content-Type text\/html, not JSON/);
  }
  // JSON text under another Content-Type, and YAML under application/json
  h.srv.handler = () => ({ status: 200, headers: [['Content-Type', 'text/plain']], body: '{"kind":"List","items":[]}' });
  let r = await h.run(undeployApp);
  clean(r);
  assert.equal(r.code, 5);
  assert.match(r.stderr, /Content-Type text\/plain, not JSON/);
  h.srv.handler = () => ({ status: 200, headers: [['Content-Type', 'application/json']], body: 'kind: List\nitems: []\n' });
  r = await h.run(undeployApp);
  clean(r);
  assert.equal(r.code, 5);
  assert.match(r.stderr, /the response is not valid JSON/);
});

test('a huge body is refused at the cap; a dense one within it costs memory in proportion', async (t) => {
  const h = await Hostile.create(t);
  // over the byte cap: refused while reading (announced by Content-Length, or not)
  const huge = Buffer.alloc(33 << 20, 0x20);
  h.srv.handler = () => ({ status: 200, headers: [['Content-Type', 'application/json']], body: huge });
  let r = await h.run(appStatus);
  clean(r);
  assert.equal(r.code, 5);
  assert.match(r.stderr, /sent a response larger than 32 MiB, hyscale's limit for one API response/);
  h.srv.handler = () => ({ status: 200, headers: [['Content-Type', 'application/json']], body: huge, noLength: true });
  r = await h.run(appStatus, { env: { HYSCALE_REQUEST_TIMEOUT: '100' } });
  clean(r);
  assert.equal(r.code, 5);
  assert.match(r.stderr, /sent a response larger than 32 MiB, hyscale's limit for one API response/);
  // 4 MiB of tiny objects (the densest JSON there is): refused by the value count, bounded memory
  const dense = `{"kind":"DeploymentList","apiVersion":"apps/v1","items":[${Array(420000).fill('{"k":"v"}').join(',')}]}`;
  h.srv.handler = () => ({ status: 200, headers: [['Content-Type', 'application/json']], body: dense });
  r = await h.run(appStatus, { time: true, env: { HYSCALE_REQUEST_TIMEOUT: '100' } });
  clean(r);
  assert.equal(r.code, 5);
  assert.match(r.stderr, /more than 1000000 JSON tokens/);
  if (r.rssKb !== null) assert.ok(r.rssKb < 150 * 1024, `peak RSS ${r.rssKb} KiB`);
  // a large real-shaped list within the limits is read
  const items = Array.from({ length: 300 }, (_, i) => ({ apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: `svc${i}`, namespace: 'shop', labels: { 'hyscale.io/app-name': 'shop', 'hyscale.io/service-name': `svc${i}` },
      annotations: { note: 'x'.repeat(2000), 'hyscale.io/applied-kinds': 'Deployment:apps/v1' }, creationTimestamp: '2026-01-01T00:00:00Z', generation: 1 },
    spec: { replicas: 1, selector: { matchLabels: { app: `svc${i}` } } },
    status: { observedGeneration: 1, replicas: 1, readyReplicas: 1, updatedReplicas: 1, availableReplicas: 1 } }));
  h.srv.handler = (req) => (req.path.includes('/deployments?')
    ? json(200, { kind: 'DeploymentList', apiVersion: 'apps/v1', items })
    : json(200, { kind: 'List', apiVersion: 'v1', items: [] }));
  h.srv.requests.length = 0;
  r = await h.run(appStatus, { time: true, env: { HYSCALE_REQUEST_TIMEOUT: '100' } });
  clean(r);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /svc299 +Running/);
  // the app's objects are listed once per kind, not once per kind and service (5,412 requests)
  // (pods are listed per workload, by its own selector)
  const lists = h.srv.requests.filter((q) => q.path.includes('?labelSelector=') && !q.path.includes('/pods?'));
  assert.ok(lists.length < 60, `${lists.length} list requests for 300 services`);
});

test('a server dripping one byte every 2 s is cut off by --timeout, for every command', async (t) => {
  const h = await Hostile.create(t);
  const spec = h.spec();
  h.srv.handler = () => ({ status: 200, headers: [['Content-Type', 'application/json']], dripMs: 2000,
    body: JSON.stringify({ kind: 'List', apiVersion: 'v1', items: [] }) });
  for (const args of [deploy(spec), appStatus, undeployApp]) {
    const r = await h.run([...args, '--timeout', '3s'], { env: { HYSCALE_REQUEST_TIMEOUT: '60', HYSCALE_RETRIES: '5' } });
    clean(r);
    assert.equal(r.code, 5, r.stderr);
    assert.match(r.stderr, /--timeout 3s ran out/);
    assert.ok(r.ms < 7000, `${args[0]} took ${r.ms} ms`);
  }
});

const ESC = '\x1b]0;owned\x07\x1b[31m';
const FORGE = '\rhyscale: error: forged';

test('strings from the cluster reach the terminal escaped: Warning headers, 422 causes, pods, addresses', async (t) => {
  const h = await Hostile.create(t);
  const spec = h.spec(`${WEB_SPEC()}external: true\n`);
  // Warning headers on every apply
  h.srv.handler = (req, api) => {
    const r = api(req);
    if (req.method === 'PATCH') r.headers.push(['Warning', `299 - "${ESC}deprecated${FORGE}\x0bnow"`]);
    return r;
  };
  let r = await h.run(deploy(spec));
  clean(r);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /hyscale: warning: Deployment web: the cluster says: \\x1b\]0;owned\\x07\\x1b\[31mdeprecated\\rhyscale: error: forged\\x0bnow/);
  // a 422 with causes and a message that try the same
  h.srv.handler = (req, api) => (req.method === 'PATCH' && req.path.includes('/deployments/')
    ? json(422, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Invalid', code: 422,
      message: `Deployment "web" is invalid${ESC}\nhyscale: error: forged`,
      details: { causes: [{ field: `spec.replicas${ESC}`, message: `bad${FORGE}\nhyscale: error: forged` },
        { field: 'spec.template.spec.containers[0].image', message: `no${ESC}` }] } })
    : api(req));
  r = await h.run(deploy(spec));
  clean(r);
  assert.equal(r.code, 5);
  assert.match(r.stderr, /web\.hspec:\d+:\d+: error: replicas: the cluster rejected Deployment web: spec\.replicas\\x1b.*bad\\rhyscale: error: forged\\nhyscale: error: forged/);
  // a 403 whose message tries it, and a 500's reason
  h.srv.handler = (req, api) => (req.method === 'PATCH'
    ? json(403, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Forbidden', code: 403, message: `no${ESC}${FORGE}` })
    : api(req));
  r = await h.run(deploy(spec));
  clean(r);
  assert.equal(r.code, 5);
  assert.match(r.stderr, /forbidden: .*no\\x1b/);
  // pods that never start, with hostile names and kubelet messages; an address with escapes
  const pod = (reason) => ({ metadata: { name: `web-1${ESC}`, labels: {} }, spec: { containers: [{ name: 'web', image: 'registry.hub.docker.com/library/nginx:1.25' }] },
    status: { containerStatuses: [{ name: `web${ESC}`, restartCount: 3, state: { waiting: { reason, message: `back-off${FORGE}` } } }] } });
  let podReason = 'ContainerCreating';
  h.srv.handler = (req, api) => {
    if (req.path.includes('/pods?')) return json(200, { kind: 'PodList', apiVersion: 'v1', items: [pod(podReason)] });
    const r = api(req);
    const p = req.path.split('?')[0];
    if (req.method === 'GET' && p.endsWith('/deployments/web') && r.status === 200) {
      const o = JSON.parse(r.body);
      o.status.readyReplicas = o.status.availableReplicas = podReason === 'Ready' ? 1 : 0;
      o.metadata.labels['hyscale.io/service-name'] = `web${ESC}`;
      return json(200, o);
    }
    if (req.method === 'GET' && p.endsWith('/services/web') && r.status === 200) {
      const o = JSON.parse(r.body);
      o.status = { loadBalancer: { ingress: [{ ip: `203.0.113.7${ESC}${FORGE}` }] } };
      return json(200, o);
    }
    if (req.method === 'GET' && req.path.includes('/deployments?')) {
      const o = JSON.parse(r.body);
      for (const it of o.items) {
        it.metadata.labels['hyscale.io/service-name'] = `web${ESC}`;
        it.metadata.creationTimestamp = '2026-01-01T00:00:00Z';
        it.status.readyReplicas = it.status.availableReplicas = podReason === 'Ready' ? 1 : 0;
      }
      return json(200, o);
    }
    return r;
  };
  podReason = 'CrashLoopBackOff';
  // a back-off fails the rollout once it outlasts HYSCALE_BACKOFF_GRACE (0: at once)
  r = await h.run(deploy(spec), { env: { HYSCALE_BACKOFF_GRACE: '0' } });
  clean(r);
  assert.equal(r.code, 5);
  assert.match(r.stderr, /pod web-1\\x1b\]0;owned\\x07\\x1b\[31m: container web\\x1b.*: CrashLoopBackOff: back-off\\rhyscale: error: forged/);
  assert.match(r.stdout, /waiting for Deployment web: 0\/1 ready/);
  r = await h.run(appStatus);
  clean(r);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /web\\x1b\]0;owned\\x07\\x1b\[31m +Failed/);
  r = await h.run([...appStatus, '-o', 'json']);
  clean(r);
  assert.equal(JSON.parse(r.stdout).serviceStatus[0].status, 'Failed');
  podReason = 'Ready';
  r = await h.run(deploy(spec));
  clean(r);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Service IP {2}: 203\.0\.113\.7\\x1b\]0;owned\\x07\\x1b\[31m\\rhyscale: error: forged/);
  r = await h.run(undeployApp);
  clean(r);
  assert.equal(r.code, 0, r.stderr);
});

test('credentials, URLs and namespaces are validated before anything is sent', async (t) => {
  const h = await Hostile.create(t);
  // a token with CR/LF would inject headers: kubeconfig token, tokenFile, exec plugin
  let r = await h.run(appStatus, { kubeconfig: h.config('crlf', { token: 'abc\r\nX-Injected: yes' }) });
  clean(r, 'X-Injected');
  assert.equal(r.code, 5);
  assert.match(r.stderr, /user 'test-user': the token contains a control character/);
  fs.writeFileSync(path.join(h.dir, 'tok'), 'abc\rX-Injected: yes\n');
  r = await h.run(appStatus, { kubeconfig: h.config('crlf2', { tokenFile: path.join(h.dir, 'tok') }) });
  clean(r, 'X-Injected');
  assert.equal(r.code, 5);
  assert.match(r.stderr, /token file .*tok: the token contains a control character/);
  const injecting = h.plugin('inject', `printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"abc\\\\r\\\\nX-Injected: yes"}}'`);
  r = await h.run(appStatus, { kubeconfig: h.config('kc-crlf3', { exec: { apiVersion: 'client.authentication.k8s.io/v1',
    command: injecting, interactiveMode: 'Never' } }) });
  clean(r, 'X-Injected');
  assert.equal(r.code, 5);
  assert.match(r.stderr, /exec credential plugin .*: the token contains a control character/);
  // a server URL with a user and password: refused, and the password is never printed
  r = await h.run(appStatus, { kubeconfig: h.config('userinfo', users.token('t'),
    { cluster: { server: `https://admin:s3cr3t-pw@127.0.0.1:${h.srv.port}` } }) });
  clean(r, 's3cr3t-pw');
  assert.equal(r.code, 5);
  assert.match(r.stderr, /cluster 'test-cluster': the server URL carries a user name or password \(https:\/\/127\.0\.0\.1:\d+\); credentials belong in the user entry/);
  for (const bad of ['https://127.0.0.1:1/x?y=1', 'https://127.0.0.1:1/#f', 'https://[::1', `https://127.0.0.1:1/a b`])
    assert.match((await h.run(appStatus, { kubeconfig: h.config('badurl', users.token('t'), { cluster: { server: bad } }) })).stderr,
      /cluster 'test-cluster': server '.*' (is not|has a query)/);
  // in a pod: the service host from the environment goes through the same check
  const sa = path.join(h.dir, 'sa');
  fs.mkdirSync(sa);
  fs.writeFileSync(path.join(sa, 'token'), 't');
  r = await h.run(appStatus, { kubeconfig: '', env: { KUBERNETES_SERVICE_HOST: 'admin:pod-pw@127.0.0.1',
    KUBERNETES_SERVICE_PORT: String(h.srv.port), HYSCALE_SERVICEACCOUNT_DIR: sa } });
  clean(r, 'pod-pw');
  assert.equal(r.code, 5);
  assert.match(r.stderr, /in-cluster': server '\(not shown: it holds '@', perhaps a password\)' is not a URL/);
  // a context namespace that is a path
  r = await h.run(['get', 'app', 'status', '-a', 'shop'],
    { kubeconfig: h.config('ns', users.token('t'), { context: { namespace: 'x/../../kube-system' } }) });
  clean(r);
  assert.equal(r.code, 5);
  assert.match(r.stderr, /context 'test': namespace "x\/\.\.\/\.\.\/kube-system" is not a valid namespace name/);
  assert.equal(h.srv.requests.length, 0, 'nothing reached the server');
});

test('no bearer token over plain http', async (t) => {
  const h = await Hostile.create(t, { plain: true });
  const r = await h.run(appStatus, { kubeconfig: h.config('http', users.token('plain-secret'), { cluster: { 'certificate-authority': undefined } }) });
  clean(r, 'plain-secret');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /warning: .*plain http:\/\/; the token is not sent over it/);
  assert.ok(h.srv.requests.length > 0);
  for (const q of h.srv.requests) assert.equal(q.headers.authorization, undefined, q.rawHead);
});

test('libfyaml error text (which may hold the token line) never reaches stderr', async (t) => {
  const h = await Hostile.create(t);
  // a kubeconfig with a YAML error on the token's line
  const kc = path.join(h.dir, 'broken');
  fs.writeFileSync(kc, `apiVersion: v1\ncurrent-context: test\nusers:\n- name: u\n  user:\n    token: "kc-secret-token\n`);
  let r = await h.run(appStatus, { kubeconfig: kc });
  clean(r, 'kc-secret-token');
  assert.equal(r.code, 5);
  assert.match(r.stderr, /not a readable kubeconfig/);
  // an exec plugin whose output is cut off after the token
  const cut = h.plugin('cut', `printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"exec-secret-token'`);
  r = await h.run(appStatus, { kubeconfig: h.config('kc-cut', { exec: { apiVersion: 'client.authentication.k8s.io/v1',
    command: cut, interactiveMode: 'Never' } }) });
  clean(r, 'exec-secret-token');
  assert.equal(r.code, 5);
  assert.match(r.stderr, /did not print an ExecCredential \(not valid JSON\)/);
  // a response body cut off inside a string that follows a secret-looking value
  h.srv.handler = () => ({ status: 200, headers: [['Content-Type', 'application/json']],
    body: '{"kind":"List","apiVersion":"v1","items":[{"data":{"password":"body-secret\n' });
  r = await h.run(appStatus);
  clean(r, 'body-secret');
  assert.equal(r.code, 5);
});

test('exec plugins as kubectl runs them: env precedence, cluster info, interactiveMode, apiVersion, expiry', async (t) => {
  const h = await Hostile.create(t);
  const dir = h.dir;
  const exec = (command, more = {}) => ({ exec: { apiVersion: 'client.authentication.k8s.io/v1', command,
    interactiveMode: 'Never', ...more } });
  // the kubeconfig's env wins over the inherited environment (think AWS_PROFILE)
  const envPlugin = h.plugin('env', `echo "$AWS_PROFILE" > "${dir}/profile"; echo "$KUBERNETES_EXEC_INFO" > "${dir}/info"
echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"t"}}'`);
  let r = await h.run(appStatus, { kubeconfig: h.config('kc-env', exec(envPlugin, { env: [{ name: 'AWS_PROFILE', value: 'prod' }] })),
    env: { AWS_PROFILE: 'dev' } });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(fs.readFileSync(path.join(dir, 'profile'), 'utf8').trim(), 'prod');
  assert.equal(JSON.parse(fs.readFileSync(path.join(dir, 'info'), 'utf8')).spec.cluster, undefined);
  // provideClusterInfo: the cluster's server and CA go to the plugin
  r = await h.run(appStatus, { kubeconfig: h.config('kc-info', exec(envPlugin, { provideClusterInfo: true }),
    { cluster: { 'certificate-authority': undefined, 'certificate-authority-data': b64(h.certs.ca) } }) });
  assert.equal(r.code, 0, r.stderr);
  const info = JSON.parse(fs.readFileSync(path.join(dir, 'info'), 'utf8'));
  assert.deepEqual(info, { apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential',
    spec: { interactive: false, cluster: { server: h.srv.url, 'certificate-authority-data': b64(h.certs.ca) } } });
  // v1 without interactiveMode is refused, as kubectl does; unknown modes too
  r = await h.run(appStatus, { kubeconfig: h.config('nomode', { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: envPlugin } }) });
  assert.equal(r.code, 5);
  assert.match(r.stderr, /exec plugin: interactiveMode must be specified for client\.authentication\.k8s\.io\/v1/);
  r = await h.run(appStatus, { kubeconfig: h.config('badmode', exec(envPlugin, { interactiveMode: 'Sometimes' })) });
  assert.equal(r.code, 5);
  assert.match(r.stderr, /interactiveMode 'Sometimes' is not Never, IfAvailable or Always/);
  // the credential's apiVersion must be the one asked for
  const other = h.plugin('other', `echo '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"t"}}'`);
  r = await h.run(appStatus, { kubeconfig: h.config('kc-other', exec(other)) });
  assert.equal(r.code, 5);
  assert.match(r.stderr, /returned apiVersion 'client\.authentication\.k8s\.io\/v1beta1', not 'client\.authentication\.k8s\.io\/v1'/);
  // expirationTimestamp: an expired credential is fetched again before the next request
  const expiring = h.plugin('expiring', `n=$(cat "${dir}/count" 2>/dev/null || echo 0); echo $((n+1)) > "${dir}/count"
exp=$(date -u -d "@$(( $(date +%s) + 2 ))" +%Y-%m-%dT%H:%M:%SZ)
echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"tok-'$n'","expirationTimestamp":"'$exp'"}}'`);
  let ready = Date.now() + 4500;
  h.srv.handler = (req, api) => {
    const r = api(req);
    if (req.method === 'GET' && req.path.endsWith('/deployments/web') && r.status === 200 && Date.now() < ready) {
      const o = JSON.parse(r.body);
      // kubectl's verdict (and hyscale's) reads availableReplicas: the rollout is still going
      o.status.readyReplicas = o.status.availableReplicas = 0;
      return json(200, o);
    }
    return r;
  };
  r = await h.run(deploy(h.spec()), { kubeconfig: h.config('kc-expiring', exec(expiring)) });
  assert.equal(r.code, 0, r.stderr);
  const tokens = new Set(h.srv.requests.map((q) => q.headers.authorization));
  assert.ok(Number(fs.readFileSync(path.join(dir, 'count'), 'utf8')) >= 2, 'the plugin ran again after expiry');
  // On a loaded machine the first credential may already have expired before the first
  // request; what matters is that requests went out with more than one fetched credential.
  const fetched = [...tokens].filter((t) => /^Bearer tok-\d+$/.test(t));
  assert.ok(fetched.length >= 2, [...tokens].join(' '));
  const bad = h.plugin('badexp', `echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"t","expirationTimestamp":"tomorrow"}}'`);
  r = await h.run(appStatus, { kubeconfig: h.config('kc-badexp', exec(bad)) });
  assert.equal(r.code, 5);
  assert.match(r.stderr, /expirationTimestamp 'tomorrow' is not an RFC 3339 time/);
});

test('names from a response never address another object: unsafe paths and nameless items', async (t) => {
  const h = await Hostile.create(t);
  const wl = { apiVersion: 'apps/v1', kind: 'Deployment', spec: { replicas: 1 },
    metadata: { name: 'web', labels: { 'hyscale.io/service-name': 'web' }, annotations: { 'hyscale.io/applied-kinds': 'Service:v1' } } };
  // the Services are found by the service's label, as a label selector answers them
  const labels = { 'hyscale.io/service-name': 'web' };
  let services = [{ metadata: { labels } }];
  // undeploy waits until what it deleted is gone: a deleted object answers 404 from then on
  const deleted = new Set();
  h.srv.handler = (req) => {
    const p = req.path.split('?')[0];
    if (req.method === 'DELETE') deleted.add(p);
    else if (req.method === 'GET' && deleted.has(p)) return notFound();
    if (req.path.includes('/deployments?')) return json(200, { kind: 'DeploymentList', apiVersion: 'apps/v1', items: [wl] });
    if (req.path.includes('/services?')) return json(200, { kind: 'ServiceList', apiVersion: 'v1', items: services });
    if (req.method === 'DELETE') return json(200, { kind: 'Status', apiVersion: 'v1', status: 'Success' });
    return json(200, { kind: 'List', apiVersion: 'v1', items: [] });
  };
  // an item without a name: its path would be the collection's (a delete of every Service)
  let r = await h.run(undeployApp);
  clean(r);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(h.srv.requests.filter((q) => q.method === 'DELETE' && q.path.split('?')[0].endsWith('/services')), []);
  // a name that climbs out of its collection
  services = [{ metadata: { name: '../../../namespaces/kube-system', labels } }];
  r = await h.run(undeployApp);
  clean(r);
  assert.equal(r.code, 5);
  assert.match(r.stderr, /refusing to send a request to an unsafe path \/api\/v1\/namespaces\/shop\/services\/\.\.\/\.\.\/\.\.\/namespaces\/kube-system/);
  assert.ok(!h.srv.requests.some((q) => q.path.includes('..')));
});
