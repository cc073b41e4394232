// Repeated diagnostics (issue 16): the same warning or note in many specs — same level, code,
// field and message, only the file differs — is printed DIAG_GROUP_SHOWN (3) times and then as
// one "... and N more" line; -v prints every one; errors are never grouped; the counts, the
// exit codes, --strict, --allow and the machine formats keep every diagnostic.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = process.env.HYSCALE_BIN;
const run = (args, opts = {}) => spawnSync(bin, args, { encoding: 'utf8', maxBuffer: 1 << 26, ...opts });

// n specs svc-001.hspec …, each with the nginx note and the nginx request-headers warning;
// external: false turns the first error on instead (the same error in every spec).
function app(n, { external = true } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'hs-grouped-'));
  const files = [];
  for (let i = 1; i <= n; i++) {
    const name = `svc-${String(i).padStart(3, '0')}`;
    writeFileSync(join(dir, `${name}.hspec`), `name: ${name}
image: {registry: r.example.com, name: x, tag: "1"}
external: ${external}
ports:
  - port: 8080/http
loadBalancer:
  provider: nginx
  className: nginx
  host: ${name}.example.com
  mapping:
    - port: 8080/http
      contextPaths: [/]
  headers:
    X-Env: test
`);
    files.push(`${name}.hspec`);
  }
  return { dir, f: ['-f', files.join(',')], done: () => rmSync(dir, { recursive: true, force: true }) };
}

const HEADERS = /^svc-\d{3}\.hspec:13:3: (warning|error): loadBalancer\.headers: ingress-nginx sets request headers only through/;
const RETIRED = /^svc-\d{3}\.hspec:7:13: note: loadBalancer\.provider: ingress-nginx is retired/;
const lines = (s) => s.split('\n').filter(Boolean);

test('30 specs with the same warning and note: 3 of each in full, then one line each', () => {
  const a = app(30);
  try {
    const r = run(['validate', 'service', ...a.f], { cwd: a.dir });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /30 service spec\(s\) valid, 30 warning\(s\)/);
    const l = lines(r.stderr);
    assert.deepEqual(l.filter((x) => HEADERS.test(x)).map((x) => x.slice(0, 7)), ['svc-001', 'svc-002', 'svc-003']);
    assert.equal(l.filter((x) => RETIRED.test(x)).length, 3);
    assert.deepEqual(l, [
      l[0], l[1], l[2], l[3], l[4],
      'hyscale: note: ... and 27 more of the same note, in 27 other file(s) (-v shows every one)',
      l[6],
      'hyscale: note: ... and 27 more of the same warning, in 27 other file(s) (-v shows every one)',
    ]);
    assert.match(l[4], /^svc-003\.hspec:7:13: note:/);
    assert.match(l[6], /^svc-003\.hspec:13:3: warning:/);

    const v = run(['validate', 'service', ...a.f, '-v'], { cwd: a.dir });
    assert.equal(v.status, 0, v.stderr);
    const lv = lines(v.stderr);
    assert.equal(lv.filter((x) => HEADERS.test(x)).length, 30);
    assert.equal(lv.filter((x) => RETIRED.test(x)).length, 30);
    assert.ok(!lv.some((x) => x.includes('more of the same')));
  } finally {
    a.done();
  }
});

test('generate groups the same way, -v lists every one, and the manifests do not change', () => {
  const a = app(12);
  try {
    const g = ['generate', 'service', 'manifests', '-a', 'shop', ...a.f, '--stdout'];
    const r = run(g, { cwd: a.dir });
    const v = run([...g, '-v'], { cwd: a.dir });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(v.status, 0, v.stderr);
    assert.equal(r.stdout, v.stdout);
    assert.equal(lines(r.stderr).length, 8);
    assert.ok(lines(r.stderr).includes('hyscale: note: ... and 9 more of the same warning, in 9 other file(s) (-v shows every one)'));
    assert.equal(lines(v.stderr).filter((x) => HEADERS.test(x)).length, 12);
  } finally {
    a.done();
  }
});

test('--strict: grouped as errors, exit 1, the summary counts all of them', () => {
  const a = app(10);
  try {
    const r = run(['validate', 'service', ...a.f, '--strict'], { cwd: a.dir });
    assert.equal(r.status, 1);
    const l = lines(r.stderr);
    assert.equal(l.filter((x) => HEADERS.test(x) && x.endsWith('[--strict]')).length, 3);
    assert.ok(l.includes('hyscale: note: ... and 7 more of the same error, in 7 other file(s) (-v shows every one)'));
    assert.equal(l.at(-1), 'hyscale: 10 error(s) (10 of them warnings, errors under --strict)');
  } finally {
    a.done();
  }
});

test('--allow drops the group; json and sarif keep every diagnostic', () => {
  const a = app(10);
  try {
    const codes = JSON.parse(run(['validate', 'service', ...a.f, '--diagnostics=json'], { cwd: a.dir }).stderr);
    const headers = codes.diagnostics.filter((d) => d.field === 'loadBalancer.headers');
    assert.equal(headers.length, 10);
    assert.deepEqual(headers.map((d) => d.file), [...Array(10)].map((_, i) => `svc-${String(i + 1).padStart(3, '0')}.hspec`));
    assert.equal(codes.warnings, 10);
    const code = headers[0].code;
    const dropped = run(['validate', 'service', ...a.f, '--allow', code], { cwd: a.dir });
    assert.equal(dropped.status, 0);
    assert.ok(!dropped.stderr.includes('loadBalancer.headers'), dropped.stderr);
    assert.ok(!dropped.stderr.includes('more of the same warning'), dropped.stderr);
    const sarif = JSON.parse(run(['validate', 'service', ...a.f, '--diagnostics=sarif'], { cwd: a.dir }).stderr);
    assert.equal(sarif.runs[0].results.filter((x) => x.ruleId === code).length, 10);
  } finally {
    a.done();
  }
});

test('errors are never grouped; four of a kind are all shown', () => {
  const e = app(8, { external: false });
  const four = app(4);
  try {
    const r = run(['validate', 'service', ...e.f], { cwd: e.dir });
    assert.equal(r.status, 1);
    assert.equal(lines(r.stderr).filter((x) => /: error: external: a loadBalancer block requires external: true/.test(x)).length, 8);
    assert.ok(!r.stderr.includes('more of the same'));
    const f = run(['validate', 'service', ...four.f], { cwd: four.dir });
    assert.equal(lines(f.stderr).filter((x) => HEADERS.test(x)).length, 4);
    assert.ok(!f.stderr.includes('more of the same'));
  } finally {
    e.done();
    four.done();
  }
});

test('sarif URIs are percent-encoded per segment (without libcurl)', () => {
  const a = app(1);
  try {
    const r = run(['validate', 'service', '-f', '-', '--diagnostics=sarif'],
      { cwd: a.dir, input: 'name: web\nimage: {registry: r.example.com, name: x, tag: "1"}\nports: [{port: 99999/http}]\n' });
    const uri = JSON.parse(r.stderr).runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri;
    assert.equal(uri, '%3Cstdin%3E');
  } finally {
    a.done();
  }
});
