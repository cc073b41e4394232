// The image pull Secret HyScale made at deploy time (issue 13, item 6): from ~/.docker/config.json
// `auths`, `credHelpers` or `credsStore` (helpers run as Docker runs them), only the image
// registry's entry, named as HyScale named it, referenced by the pods; --no-registry-secret and
// --image-pull-secret skip it; the credentials never appear in output, logs or errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { WEB_SPEC } from './harness.mjs';
import { Hostile } from './hostile-server.mjs';

const PRIVATE_SPEC = `name: web
image:
  registry: registry.example.com
  name: team/web
  tag: "2.1"
ports:
  - port: 80/http
`;
const deploy = (f, ...more) => ['deploy', 'service', '-f', f, '-a', 'shop', '-n', 'shop', ...more];
const b64 = (s) => Buffer.from(s).toString('base64');
const unb64 = (s) => Buffer.from(s, 'base64').toString('utf8');

function dockerConfig(h, cfg) {
  fs.mkdirSync(path.join(h.dir, '.docker'), { recursive: true });
  fs.writeFileSync(path.join(h.dir, '.docker', 'config.json'), JSON.stringify(cfg));
}
const secretOf = (h, name) => h.srv.store.get(`/api/v1/namespaces/shop/secrets/${name}`);
const pullSecrets = (h) => h.srv.store.get('/apis/apps/v1/namespaces/shop/deployments/web').spec.template.spec.imagePullSecrets;
function noLeak(r, ...secrets) {
  for (const s of secrets)
    for (const text of [r.stdout, r.stderr]) {
      assert.ok(!text.includes(s), `output shows ${s}: ${text}`);
      assert.ok(!text.includes(b64(s)), `output shows base64 of ${s}`);
    }
}

test('auths: a Secret with only the image registry entry, named as HyScale named it, referenced by the pods', async (t) => {
  const h = await Hostile.create(t);
  dockerConfig(h, { auths: {
    'https://registry.example.com/v1/': { auth: b64('robot:pa55-word') },
    'other.example.org': { auth: b64('someone:other-secret') } } });
  const r = await h.run([...deploy(h.spec(PRIVATE_SPEC)), '-v']);
  assert.equal(r.code, 0, r.stderr);
  noLeak(r, 'pa55-word', 'robot:pa55-word', 'other-secret');
  assert.match(r.stdout, /Registry credentials for registry\.example\.com \(from .*\.docker\/config\.json\): Secret registry-example-com created/);
  const s = secretOf(h, 'registry-example-com');
  assert.equal(s.type, 'kubernetes.io/dockerconfigjson');
  assert.deepEqual(s.metadata.labels, { 'app.kubernetes.io/managed-by': 'hyscale', 'hyscale.io/app-name': 'shop',
    'hyscale.io/environment-name': 'dev' });
  assert.deepEqual(JSON.parse(unb64(s.data['.dockerconfigjson'])), { auths: { 'registry.example.com': {
    username: 'robot', password: 'pa55-word', auth: b64('robot:pa55-word') } } });
  assert.deepEqual(pullSecrets(h), [{ name: 'registry-example-com' }]);
  // the PATCH took it over from whoever made it before (HyScale)
  assert.ok(h.srv.requests.some((q) => q.method === 'PATCH' && q.path.includes('/secrets/registry-example-com?fieldManager=hyscale&force=true')));
  // generated files never hold it
  const g = await h.run(['generate', 'service', 'manifests', '-f', h.spec(PRIVATE_SPEC), '-a', 'shop', '--stdout']);
  assert.equal(g.code, 0, g.stderr);
  assert.doesNotMatch(g.stdout, /dockerconfigjson|imagePullSecrets|registry-example-com/);
});

test('Docker Hub images use the index.docker.io/v1/ entry: Secret httpsindex-docker-iov1', async (t) => {
  const h = await Hostile.create(t);
  dockerConfig(h, { auths: { 'https://index.docker.io/v1/': { username: 'hubuser', password: 'hub-pass' } } });
  const r = await h.run(deploy(h.spec(WEB_SPEC())));
  assert.equal(r.code, 0, r.stderr);
  noLeak(r, 'hub-pass');
  const s = secretOf(h, 'httpsindex-docker-iov1');
  assert.deepEqual(Object.keys(JSON.parse(unb64(s.data['.dockerconfigjson'])).auths), ['https://index.docker.io/v1/']);
  assert.deepEqual(pullSecrets(h), [{ name: 'httpsindex-docker-iov1' }]);
});

test('credential helpers are run as Docker runs them; a helper without credentials means none', async (t) => {
  const h = await Hostile.create(t);
  const bin = path.join(h.dir, 'bin');
  fs.mkdirSync(bin);
  const helper = (name, body) => fs.writeFileSync(path.join(bin, `docker-credential-${name}`), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  helper('team', `[ "$1" = get ] || exit 9; cat > "${h.dir}/asked"; echo "helper noise with helper-secret" >&2
printf '{"ServerURL":"registry.example.com","Username":"ci","Secret":"helper-secret"}'`);
  helper('desktop', 'cat >/dev/null; echo "credentials not found in native keychain"; exit 1');
  const env = { PATH: `${bin}:${process.env.PATH}` };
  // credHelpers for this registry wins over credsStore
  dockerConfig(h, { credsStore: 'desktop', credHelpers: { 'registry.example.com': 'team' }, auths: { 'registry.example.com': {} } });
  let r = await h.run([...deploy(h.spec(PRIVATE_SPEC)), '-v'], { env });
  assert.equal(r.code, 0, r.stderr);
  noLeak(r, 'helper-secret');
  assert.equal(fs.readFileSync(path.join(h.dir, 'asked'), 'utf8'), 'registry.example.com');
  assert.match(r.stdout, /Registry credentials for registry\.example\.com \(from docker-credential-team\): Secret registry-example-com created/);
  assert.deepEqual(JSON.parse(unb64(secretOf(h, 'registry-example-com').data['.dockerconfigjson'])).auths['registry.example.com'].password, 'helper-secret');
  // credsStore that has nothing for Docker Hub: no Secret, no reference, the deploy goes on
  r = await h.run(deploy(h.spec(WEB_SPEC())), { env });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(secretOf(h, 'httpsindex-docker-iov1'), undefined);
  assert.equal(pullSecrets(h), undefined);
  // a helper that prints something else: an error that does not quote it
  helper('team', `cat >/dev/null; echo 'password=helper-secret {'`);
  r = await h.run(deploy(h.spec(PRIVATE_SPEC)), { env });
  assert.equal(r.code, 5);
  noLeak(r, 'helper-secret');
  assert.match(r.stderr, /image pull Secret for registry\.example\.com: the Docker credential helper docker-credential-team did not print credentials .*--no-registry-secret/);
  // a helper that is not installed
  dockerConfig(h, { credHelpers: { 'registry.example.com': 'absent' } });
  r = await h.run(deploy(h.spec(PRIVATE_SPEC)), { env });
  assert.equal(r.code, 5);
  assert.match(r.stderr, /names the credential helper 'absent', but docker-credential-absent cannot be started/);
});

test('--no-registry-secret and --image-pull-secret skip it; a broken Docker config is not quoted', async (t) => {
  const h = await Hostile.create(t);
  dockerConfig(h, { auths: { 'registry.example.com': { auth: b64('robot:pa55-word') } } });
  let r = await h.run(deploy(h.spec(PRIVATE_SPEC), '--no-registry-secret'));
  assert.equal(r.code, 0, r.stderr);
  assert.ok(!h.srv.requests.some((q) => q.path.includes('/secrets/')));
  assert.equal(pullSecrets(h), undefined);
  r = await h.run(deploy(h.spec(PRIVATE_SPEC), '--image-pull-secret', 'mine'));
  assert.equal(r.code, 0, r.stderr);
  assert.ok(!h.srv.requests.some((q) => q.path.includes('/secrets/')));
  assert.deepEqual(pullSecrets(h), [{ name: 'mine' }]);
  r = await h.run(['get', 'app', 'status', '-a', 'shop', '-n', 'shop', '--no-registry-secret']);
  assert.equal(r.code, 2, 'only deploy takes it');
  fs.writeFileSync(path.join(h.dir, '.docker', 'config.json'), '{"auths":{"registry.example.com":{"auth":"cm9ib3Q6cGE1NS13b3Jk"');
  r = await h.run(deploy(h.spec(PRIVATE_SPEC)));
  assert.equal(r.code, 5);
  noLeak(r, 'pa55-word');
  assert.ok(!r.stderr.includes('cm9ib3Q6cGE1NS13b3Jk'));
  assert.match(r.stderr, /config\.json: the Docker config is not valid JSON \(its content is not shown: it holds credentials\)/);
});
