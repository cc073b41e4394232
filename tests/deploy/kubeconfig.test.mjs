// Cluster access variants: client certificate (files, data), bearer token and tokenFile, CA file
// and data, insecure-skip-tls-verify, exec credential plugins (token, client certificate),
// merged $KUBECONFIG lists, --context, the context namespace, in-cluster service account, and
// the clear errors for what is not supported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Env, WEB_SPEC, YAML, b64, kubeconfig, users } from './harness.mjs';

const status = ['get', 'app', 'status', '-a', 'nothing', '-n', 'default'];
const ok = (r) => {
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /app nothing has no services deployed in namespace default/);
};

function plugin(dir, name, body) {
  const f = path.join(dir, name);
  fs.writeFileSync(f, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return f;
}

test('client certificates, tokens and CAs', async (t) => {
  const env = await Env.create(t);
  const { dir } = env, port = env.cluster.port;
  ok(await env.run(status));   // certificate and key files, CA file
  ok(await env.run(status, { kubeconfig: kubeconfig(dir, 'data', port, users.certData(dir),
    { cluster: { 'certificate-authority': undefined, 'certificate-authority-data': b64(env.certs.ca) } }) }));
  ok(await env.run(status, { kubeconfig: kubeconfig(dir, 'token', port, users.token()) }));
  fs.mkdirSync(path.join(dir, 'sub'));
  fs.writeFileSync(path.join(dir, 'sub', 'tok'), 'admin-token\n');
  // a relative tokenFile is relative to the kubeconfig's folder
  ok(await env.run(status, { kubeconfig: kubeconfig(path.join(dir, 'sub'), 'cfg', port, { tokenFile: 'tok' },
    { cluster: { 'certificate-authority': path.join(dir, 'ca.crt') } }) }));
  ok(await env.run(status, { kubeconfig: kubeconfig(dir, 'insecure', port, users.token(),
    { cluster: { 'certificate-authority': undefined, 'insecure-skip-tls-verify': true } }) }));
  const wrong = await env.run(status, { kubeconfig: kubeconfig(dir, 'wrongca', port, users.token(),
    { cluster: { 'certificate-authority': path.join(dir, 'other-ca.crt') } }) });
  assert.equal(wrong.code, 5);
  assert.match(wrong.stderr, /list Deployment objects in namespace default: cannot reach the cluster at https:\/\/127\.0\.0\.1:\d+: .*certificate/i);
});

test('exec credential plugins', async (t) => {
  const env = await Env.create(t);
  const { dir } = env, port = env.cluster.port;
  const tokenPlugin = plugin(dir, 'tok-plugin', `echo "$KUBERNETES_EXEC_INFO" > "${dir}/exec-info"
[ "$1" = "--flag" ] && [ "$EXTRA" = "yes" ] || exit 3
echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"exec-token"}}'`);
  const execUser = (command, args = ['--flag']) => ({ exec: { apiVersion: 'client.authentication.k8s.io/v1', command, args,
    env: [{ name: 'EXTRA', value: 'yes' }], interactiveMode: 'Never' } });
  ok(await env.run(status, { kubeconfig: kubeconfig(dir, 'exec', port, execUser(tokenPlugin)) }));
  const info = JSON.parse(fs.readFileSync(path.join(dir, 'exec-info'), 'utf8'));
  assert.deepEqual(info, { apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', spec: { interactive: false } });
  // a plugin that returns a client certificate
  const crt = fs.readFileSync(path.join(dir, 'admin.crt'), 'utf8'), key = fs.readFileSync(path.join(dir, 'admin.key'), 'utf8');
  fs.writeFileSync(path.join(dir, 'cred.json'), JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1',
    kind: 'ExecCredential', status: { clientCertificateData: crt, clientKeyData: key } }));
  const certPlugin = plugin(dir, 'cert-plugin', `cat "${dir}/cred.json"`);
  ok(await env.run(status, { kubeconfig: kubeconfig(dir, 'exec2', port, execUser(certPlugin)) }));
  // a token that expired: on 401 the plugin runs again (as kubectl does)
  const rotating = plugin(dir, 'rot-plugin', `n=$(cat "${dir}/count" 2>/dev/null || echo 0); echo $((n+1)) > "${dir}/count"
[ "$n" = 0 ] && t=stale-token || t=exec-token
echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"'$t'"}}'`);
  ok(await env.run(status, { kubeconfig: kubeconfig(dir, 'exec-rot', port, { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: rotating, interactiveMode: 'Never' } }) }));
  assert.equal(fs.readFileSync(path.join(dir, 'count'), 'utf8').trim(), '2');
  // failures are named
  let r = await env.run(status, { kubeconfig: kubeconfig(dir, 'exec3', port, execUser(tokenPlugin, ['--other'])) });
  assert.equal(r.code, 5);
  assert.match(r.stderr, /exec credential plugin '.*tok-plugin' failed \(exit status 3\)/);
  r = await env.run(status, { kubeconfig: kubeconfig(dir, 'exec4', port, execUser(path.join(dir, 'absent'))) });
  assert.equal(r.code, 5);
  assert.match(r.stderr, /exec credential plugin '.*absent' cannot be started/);
  const hang = plugin(dir, 'hang-plugin', 'exec sleep 30');
  r = await env.run(status, { kubeconfig: kubeconfig(dir, 'exec5', port, execUser(hang)), env: { HYSCALE_EXEC_TIMEOUT: '0.5' } });
  assert.equal(r.code, 5);
  assert.match(r.stderr, /did not finish within/);
  assert.ok(r.ms < 5000);
});

test('merged $KUBECONFIG, --context, context namespace', async (t) => {
  const env = await Env.create(t);
  const { dir } = env, port = env.cluster.port;
  // first file: current-context and a user; second: clusters, contexts and a conflicting user
  const first = path.join(dir, 'first');
  fs.writeFileSync(first, YAML.stringify({ apiVersion: 'v1', kind: 'Config', 'current-context': 'shop',
    users: [{ name: 'u', user: { token: 'admin-token' } }] }));
  const second = path.join(dir, 'second');
  fs.writeFileSync(second, YAML.stringify({ apiVersion: 'v1', kind: 'Config', 'current-context': 'viewer',
    clusters: [{ name: 'c', cluster: { server: `https://127.0.0.1:${port}/`, 'certificate-authority': path.join(dir, 'ca.crt') } }],
    users: [{ name: 'u', user: { token: 'wrong' } }, { name: 'v', user: { token: 'viewer-token' } }],
    contexts: [{ name: 'shop', context: { cluster: 'c', user: 'u', namespace: 'shop' } },
      { name: 'viewer', context: { cluster: 'c', user: 'v' } }] }));
  const list = `${first}:${path.join(dir, 'missing')}:${second}`;
  const spec = env.spec('web.hspec', WEB_SPEC());
  let r = await env.run(['deploy', 'service', '-f', spec, '-a', 'shop'], { kubeconfig: list });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /context shop/);
  assert.ok(env.object('Deployment', 'shop', 'web'), 'deployed to the context namespace');
  r = await env.run(['deploy', 'service', '-f', spec, '-a', 'shop', '--context', 'viewer'], { kubeconfig: list });
  assert.equal(r.code, 5);
  assert.match(r.stderr, /User "viewer" cannot patch/);
  r = await env.run(['get', 'app', 'status', '-a', 'shop', '--context', 'nope'], { kubeconfig: list });
  assert.equal(r.code, 5);
  assert.match(r.stderr, /context 'nope' is not defined in /);
});

test('in-cluster service account; unsupported settings and no configuration are clear errors', async (t) => {
  const env = await Env.create(t);
  const { dir } = env, port = env.cluster.port;
  const sa = path.join(dir, 'sa');
  fs.mkdirSync(sa);
  fs.writeFileSync(path.join(sa, 'token'), 'admin-token');
  fs.copyFileSync(path.join(dir, 'ca.crt'), path.join(sa, 'ca.crt'));
  fs.writeFileSync(path.join(sa, 'namespace'), 'default\n');
  const inCluster = { KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: String(port), HYSCALE_SERVICEACCOUNT_DIR: sa };
  ok(await env.run(['get', 'app', 'status', '-a', 'nothing'], { kubeconfig: '', env: inCluster }));
  let r = await env.run(status, { kubeconfig: '' });
  assert.equal(r.code, 5);
  assert.match(r.stderr, /no cluster configured: set KUBECONFIG or create ~\/\.kube\/config/);
  r = await env.run([...status, '-o', 'json'], { kubeconfig: '' });
  assert.equal(r.code, 5);
  assert.match(JSON.parse(r.stdout).error, /^no cluster configured/);
  r = await env.run(status, { kubeconfig: `${dir}/nope1:${dir}/nope2` });
  assert.equal(r.code, 5);
  assert.match(r.stderr, /none of the files in KUBECONFIG exists \(.*nope1:.*nope2\)/);
  r = await env.run(status, { kubeconfig: kubeconfig(dir, 'ap', port, { 'auth-provider': { name: 'gcp' } }) });
  assert.equal(r.code, 5);
  assert.match(r.stderr, /user 'test-user': auth-provider plugins were removed from Kubernetes clients; use an exec plugin/);
  r = await env.run(status, { kubeconfig: kubeconfig(dir, 'basic', port, { username: 'a', password: 'b' }) });
  assert.equal(r.code, 5);
  assert.match(r.stderr, /basic authentication was removed/);
  r = await env.run(status, { kubeconfig: kubeconfig(dir, 'old', port, { exec: { apiVersion: 'client.authentication.k8s.io/v1alpha1', command: 'x' } }) });
  assert.equal(r.code, 5);
  assert.match(r.stderr, /exec plugin apiVersion 'client\.authentication\.k8s\.io\/v1alpha1' is not supported/);
});
