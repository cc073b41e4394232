// libcurl is loaded only by the commands that talk to a cluster (issue 16): the binary does
// not link it, and generate, validate, schema and --help never map it. LD_DEBUG=libs makes the
// dynamic loader name every library it loads, dlopen included; the cluster command below
// proves that the check sees libcurl when it is loaded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = process.env.HYSCALE_BIN;
const example = join(root, 'examples/storefront/frontend.hspec');
const run = (args, env = {}) =>
  spawnSync(bin, args, { encoding: 'utf8', env: { ...process.env, LD_DEBUG: 'libs', ...env } });
const loadsCurl = (r) => /libcurl/.test(r.stderr);

// A cluster on a closed port: the command loads libcurl, fails to connect and exits 5.
function kubeconfig(dir) {
  const p = join(dir, 'kubeconfig');
  writeFileSync(p, `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "http://127.0.0.1:1"}}]
users: [{name: u, user: {}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`);
  return p;
}

test('the binary does not link libcurl', () => {
  const r = spawnSync('readelf', ['-d', bin], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /NEEDED.*libfyaml/);
  assert.doesNotMatch(r.stdout, /NEEDED.*libcurl/);
});

test('generate, validate, schema and --help do not load libcurl', () => {
  for (const args of [
    ['generate', 'service', 'manifests', '-f', example, '-a', 'storefront', '--stdout'],
    ['generate', 'service', 'manifests', '-f', example, '-a', 'storefront', '--stdout', '-o', 'json'],
    ['validate', 'service', '-f', example, '--diagnostics=sarif'],
    ['schema'],
    ['--help'],
    ['deploy', '--help'],
  ]) {
    const r = run(args);
    assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr.slice(-2000)}`);
    assert.match(r.stderr, /find library=libfyaml/, 'LD_DEBUG=libs reports the libraries loaded');
    assert.ok(!loadsCurl(r), `${args.join(' ')} loaded libcurl`);
  }
});

test('a cluster command loads libcurl', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hs-startup-'));
  try {
    const r = run(['get', 'app', 'status', '-a', 'shop', '-n', 'shop'],
      { KUBECONFIG: kubeconfig(dir), HYSCALE_RETRIES: '1' });
    assert.equal(r.status, 5, r.stderr);
    assert.ok(loadsCurl(r), 'libcurl was not loaded');
    assert.match(r.stderr, /cannot reach the cluster at http:\/\/127\.0\.0\.1:1/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('without a usable libcurl a cluster command says so and exits 5; generate still works', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hs-startup-'));
  try {
    // the loader finds this (empty, so broken) libcurl.so.4 first through LD_LIBRARY_PATH
    writeFileSync(join(dir, 'libcurl.so.4'), '');
    const env = { KUBECONFIG: kubeconfig(dir), HYSCALE_RETRIES: '1', LD_LIBRARY_PATH: dir, LD_DEBUG: '' };
    for (const args of [['get', 'app', 'status', '-a', 'shop', '-n', 'shop'],
      ['deploy', 'service', '-f', example, '-a', 'storefront', '-n', 'shop']]) {
      const r = run(args, env);
      assert.equal(r.status, 5, r.stderr);
      assert.match(r.stderr, /^hyscale: error: cannot load libcurl \(.*libcurl\.so\.4.*\); the cluster commands need it: apt install libcurl4$/m);
    }
    const g = run(['generate', 'service', 'manifests', '-f', example, '-a', 'storefront', '--stdout'], env);
    assert.equal(g.status, 0, g.stderr);
    assert.match(g.stdout, /kind: Deployment/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
