// generate -o yaml|json and -q/-v in every command (issue 15). JSON comes from libfyaml's
// emitter: every golden case's JSON is the same objects as its YAML, and kubectl reads it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { Env, NGINX_SPEC } from '../deploy/harness.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const YAML = createRequire(join(root, 'tests/schema/package.json'))('yaml');
const bin = process.env.HYSCALE_BIN;
const run = (args, opts = {}) => spawnSync(bin, args, { encoding: 'utf8', ...opts });
const example = join(root, 'examples/storefront/frontend.hspec');

function goldenCases() {
  return readdirSync(join(root, 'tests/golden')).filter((c) => existsSync(join(root, 'tests/golden', c, 'expected/exit-code')) &&
    readFileSync(join(root, 'tests/golden', c, 'expected/exit-code'), 'utf8').trim() === '0').map((c) => {
    const dir = join(root, 'tests/golden', c);
    const args = existsSync(join(dir, 'args')) ? readFileSync(join(dir, 'args'), 'utf8').trim().split(/\s+/) : ['-a', 'app'];
    const files = args.includes('-f') ? [] : readdirSync(dir).filter((f) => f.endsWith('.hspec')).flatMap((f) => ['-f', f]);
    return { c, dir, args: ['generate', 'service', 'manifests', ...files, ...args] };
  });
}

test('--stdout -o json: one List holding the YAML stream\'s objects, in order, for every golden case', () => {
  const cases = goldenCases();
  assert.ok(cases.length > 50);
  for (const { c, dir, args } of cases) {
    const y = run([...args, '--stdout'], { cwd: dir });
    const j = run([...args, '--stdout', '-o', 'json'], { cwd: dir });
    assert.equal(j.status, 0, `${c}: ${j.stderr}`);
    assert.equal(j.stderr, y.stderr, c);
    const list = JSON.parse(j.stdout);
    assert.equal(list.kind, 'List');
    assert.deepEqual(list.items, YAML.parseAllDocuments(y.stdout).map((d) => d.toJS()), c);
  }
});

test('-O DIR -o json writes <kind>.json files equal to the YAML files', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'hs-json-'));
  try {
    assert.equal(run(['generate', 'service', 'manifests', '-f', example, '-a', 'shop', '-O', join(tmp, 'y')]).status, 0);
    const r = run(['generate', 'service', 'manifests', '-f', example, '-a', 'shop', '-O', join(tmp, 'j'), '--output=json']);
    assert.equal(r.status, 0, r.stderr);
    const ys = readdirSync(join(tmp, 'y/frontend')).filter((f) => !f.startsWith('.')).sort();
    const js = readdirSync(join(tmp, 'j/frontend')).filter((f) => !f.startsWith('.')).sort();
    assert.deepEqual(js, ys.map((f) => f.replace(/\.yaml$/, '.json')));
    for (const f of ys)
      assert.deepEqual(JSON.parse(readFileSync(join(tmp, 'j/frontend', f.replace(/\.yaml$/, '.json')), 'utf8')),
        YAML.parse(readFileSync(join(tmp, 'y/frontend', f), 'utf8')));
  } finally { rmSync(tmp, { recursive: true, force: true }); }
});

test('kubectl reads the JSON List', () => {
  const j = run(['generate', 'service', 'manifests', '-f', example, '-a', 'shop', '--stdout', '-o', 'json']);
  const k = spawnSync('kubectl', ['annotate', '--local', '-f', '-', 'x=y', '-o', 'name'],
    { input: j.stdout, encoding: 'utf8', env: { ...process.env, KUBECONFIG: '/dev/null' } });
  assert.equal(k.status, 0, k.stderr);
  assert.deepEqual(k.stdout.trim().split('\n').map((l) => l.split('/')[1]),
    JSON.parse(j.stdout).items.map((o) => o.metadata.name));
});

test('-o: yaml is the default, other values and other commands are usage errors', () => {
  const y = run(['generate', 'service', 'manifests', '-f', example, '-a', 'shop', '--stdout']);
  assert.equal(run(['generate', 'service', 'manifests', '-f', example, '-a', 'shop', '--stdout', '-o', 'yaml']).stdout, y.stdout);
  const bad = run(['generate', 'service', 'manifests', '-f', example, '-a', 'shop', '--stdout', '-o', 'jsn']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /-o takes yaml or json, not 'jsn'; did you mean 'json'\?/);
  assert.equal(run(['validate', 'service', '-f', example, '-o', 'json']).status, 2);
});

test('-q prints nothing but diagnostics, -v names what was read and written (generate, validate)', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'hs-q-'));
  try {
    const q = run(['generate', 'service', 'manifests', '-f', example, '-a', 'shop', '-O', tmp, '-q']);
    assert.equal(q.status, 0);
    assert.equal(q.stdout + q.stderr, '');
    const v = run(['generate', 'service', 'manifests', '-f', example, '-a', 'shop', '-O', tmp, '-v']);
    assert.match(v.stderr, new RegExp(`hyscale: wrote ${tmp}/frontend/deployment.yaml \\(\\d+ bytes\\)`));
    const vq = run(['validate', 'service', '-f', example, '-q']);
    assert.equal(vq.stdout + vq.stderr, '');
    assert.match(run(['validate', 'service', '-f', example, '--verbose']).stderr, /frontend.hspec: service frontend valid/);
    assert.equal(run(['validate', 'service', '-f', example, '-q', '-v']).status, 2);
  } finally { rmSync(tmp, { recursive: true, force: true }); }
});

test('deploy -q and undeploy -q print no progress (against the test API server)', async (t) => {
  const env = await Env.create(t);
  const spec = env.spec('productpage.hspec', NGINX_SPEC);
  let r = await env.run(['deploy', 'service', '-f', spec, '-a', 'bookinfo', '-n', 'shop', '-q']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
  r = await env.run(['get', 'service', 'status', '-s', 'productpage', '-a', 'bookinfo', '-n', 'shop', '-q']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /productpage +Running/);
  r = await env.run(['undeploy', 'app', '-a', 'bookinfo', '-n', 'shop', '-q']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
});
