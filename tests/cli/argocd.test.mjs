// contrib/argocd/plugin.yaml run as argocd-cmp-server runs it (issue 15): discover in the
// repository root, generate in the Application's source directory, with Argo CD's build
// environment and parameter variables; stdout must be only manifests (validated), stderr apart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, mkdtempSync, rmSync, mkdirSync, cpSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const YAML = createRequire(join(root, 'tests/schema/package.json'))('yaml');
const bin = process.env.HYSCALE_BIN;
const plugin = YAML.parse(readFileSync(join(root, 'contrib/argocd/plugin.yaml'), 'utf8'));

// The sidecar's environment: its own (PATH with hyscale, HOME), then Argo CD's variables.
function argoEnv(extra) {
  return { PATH: `${dirname(bin)}:/usr/bin:/bin`, HOME: '/home/argocd', ARGOCD_APP_NAME: 'storefront',
    ARGOCD_APP_NAMESPACE: 'shop', ARGOCD_APP_REVISION: 'abc123', ARGOCD_APP_SOURCE_PATH: 'services/storefront',
    ARGOCD_APP_SOURCE_REPO_URL: 'https://git.example.com/shop.git', ARGOCD_APP_SOURCE_TARGET_REVISION: 'HEAD', ...extra };
}
const exec = (cmd, cwd, env) => spawnSync(cmd[0], cmd.slice(1), { cwd, env, encoding: 'utf8' });
const generateCmd = [...plugin.spec.generate.command, ...(plugin.spec.generate.args || [])];

function repo() {
  const r = mkdtempSync(join(tmpdir(), 'hs-argo-'));
  mkdirSync(join(r, 'services/storefront'), { recursive: true });
  cpSync(join(root, 'examples/storefront/frontend.hspec'), join(r, 'services/storefront/frontend.hspec'));
  mkdirSync(join(r, 'docs'));
  writeFileSync(join(r, 'docs/README.md'), 'not an app\n');
  return r;
}

test('plugin.yaml is a ConfigManagementPlugin with discover, generate and parameters', () => {
  assert.equal(plugin.apiVersion, 'argoproj.io/v1alpha1');
  assert.equal(plugin.kind, 'ConfigManagementPlugin');
  assert.equal(plugin.metadata.name, 'hyscale');
  assert.ok(plugin.spec.discover.find.command.length > 0);
  assert.deepEqual(plugin.spec.parameters.static.map((p) => p.name), ['app', 'environment', 'provider', 'strict']);
});

test('discover matches a path with .hspec files and nothing else', () => {
  const r = repo();
  try {
    const yes = exec(plugin.spec.discover.find.command, r, argoEnv({}));
    assert.equal(yes.status, 0, yes.stderr);
    assert.match(yes.stdout, /frontend\.hspec/);
    const no = exec(plugin.spec.discover.find.command, r, argoEnv({ ARGOCD_APP_SOURCE_PATH: 'docs' }));
    assert.equal(no.stdout, '', 'no output: not discovered');
  } finally { rmSync(r, { recursive: true, force: true }); }
});

test('generate writes only manifests to stdout, in the destination namespace', () => {
  const r = repo();
  try {
    const g = exec(generateCmd, join(r, 'services/storefront'),
      argoEnv({ ARGOCD_APP_PARAMETERS: '[{"name":"provider","string":"nginx"}]', PARAM_PROVIDER: 'nginx' }));
    assert.equal(g.status, 0, g.stderr);
    const docs = YAML.parseAllDocuments(g.stdout).map((d) => d.toJS());
    assert.deepEqual(docs.map((d) => d.kind), ['Service', 'Deployment', 'Ingress']);
    for (const d of docs) {
      assert.equal(d.metadata.namespace, 'shop');
      assert.equal(d.metadata.labels['hyscale.io/app-name'], 'storefront');
    }
    const k = spawnSync('kubectl', ['annotate', '--local', '-f', '-', 'x=y', '-o', 'name'],
      { input: g.stdout, encoding: 'utf8', env: { ...process.env, KUBECONFIG: '/dev/null' } });
    assert.equal(k.status, 0, k.stderr);
    assert.equal(k.stdout.trim().split('\n').length, 3);
    // The same as running hyscale by hand.
    const direct = spawnSync(bin, ['generate', 'service', 'manifests', '-f', 'frontend.hspec', '-a', 'storefront', '-n', 'shop',
      '--provider', 'nginx', '--stdout'], { cwd: join(r, 'services/storefront'), encoding: 'utf8' });
    assert.equal(g.stdout, direct.stdout);
  } finally { rmSync(r, { recursive: true, force: true }); }
});

test('generate: the app parameter, strict, and a rejected spec (exit 1, nothing on stdout)', () => {
  const r = repo();
  const dir = join(r, 'services/storefront');
  try {
    const long = exec(generateCmd, dir, argoEnv({ ARGOCD_APP_NAME: 'storefront.production.eu-west-1', PARAM_APP: 'shop' }));
    assert.equal(long.status, 0, long.stderr);
    assert.match(long.stdout, /hyscale\.io\/app-name: shop/);
    writeFileSync(join(dir, 'frontend.hspec'), readFileSync(join(dir, 'frontend.hspec'), 'utf8').replace(/^replicas: .*$/m, 'replicas: many'));
    const bad = exec(generateCmd, dir, argoEnv({}));
    assert.equal(bad.status, 1);
    assert.equal(bad.stdout, '');
    assert.match(bad.stderr, /frontend\.hspec:\d+:\d+: error: replicas: expected an integer/);
    rmSync(join(dir, 'frontend.hspec'));
    const none = exec(generateCmd, dir, argoEnv({}));
    assert.equal(none.status, 1);
    assert.equal(none.stdout, '');
  } finally { rmSync(r, { recursive: true, force: true }); }
});
