// `-f -` and pipes (issue 15): a spec read from standard input or a FIFO is accepted, its
// diagnostics are named <stdin>, and the file-name convention check is skipped for it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = process.env.HYSCALE_BIN;
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const example = join(root, 'examples/storefront/frontend.hspec');
const run = (args, input, opts = {}) => spawnSync(bin, args, { input, encoding: 'utf8', ...opts });

test('generate -f - reads the spec from standard input', () => {
  const spec = readFileSync(example, 'utf8');
  const fromFile = run(['generate', 'service', 'manifests', '-f', example, '-a', 'shop', '--stdout']);
  const piped = run(['generate', 'service', 'manifests', '-f', '-', '-a', 'shop', '--stdout'], spec, { cwd: dirname(example) });
  assert.equal(piped.status, 0, piped.stderr);
  assert.equal(piped.stderr, '', 'no file-name convention warning for <stdin>');
  assert.equal(piped.stdout, fromFile.stdout);
});

test('diagnostics of a piped spec are named <stdin>', () => {
  const r = run(['validate', 'service', '-f', '-'], 'name: web\nimage: {name: nginx}\nreplicas: many\n');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^<stdin>:3:11: error: replicas: expected an integer, got 'many'$/m);
});

test('a file whose name differs from the service still gets the convention warning', () => {
  const d = mkdtempSync(join(tmpdir(), 'hs-stdin-'));
  try {
    const r = spawnSync('sh', ['-c', `cp "${example}" "${d}/other.hspec" && "${bin}" validate service -f "${d}/other.hspec"`], { encoding: 'utf8' });
    assert.match(r.stderr, /does not match the file name 'other.hspec'/);
  } finally { rmSync(d, { recursive: true, force: true }); }
});

test('a pipe given by name (process substitution, /dev/stdin) is read', () => {
  const r = spawnSync('bash', ['-c', `"${bin}" validate service -f <(cat "${example}") && cat "${example}" | "${bin}" validate service -f /dev/stdin`], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /1 service spec\(s\) valid/);
});

test('standard input twice is a usage error', () => {
  const r = run(['validate', 'service', '-f', '-,-'], 'name: web\n');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /'-' \(standard input\) can be given only once/);
});

test('a directory on standard input is refused', () => {
  const r = spawnSync('sh', ['-c', `"${bin}" validate service -f - < /`], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^<stdin>: error: found a directory instead of a service spec file/m);
});
