// --diagnostics=text|json|sarif and --allow CODE (issue 15). Codes come from
// src/util/diag_codes.c, keyed by format string; this test fails for a diagnostic format in
// src/ without a code, a code whose format is gone, and a code missing from the README.
// SARIF is validated against the OASIS SARIF 2.1.0 schema (tests/cli/data, pinned copy).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, existsSync, mkdtempSync, rmSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { diagSites, codeTable } from './lib/diag-sites.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(root, 'tests/schema/package.json'));
const AjvDraft04 = require('ajv-draft-04');
const addFormats = require('ajv-formats');
const bin = process.env.HYSCALE_BIN;
const run = (args, opts = {}) => spawnSync(bin, args, { encoding: 'utf8', ...opts });

const ajv = new AjvDraft04({ strict: false, allErrors: true });
addFormats(ajv);
const sarifSchema = ajv.compile(JSON.parse(readFileSync(join(root, 'tests/cli/data/sarif-schema-2.1.0.json'), 'utf8')));

test('every diagnostic raised in src/ has exactly one stable code, and the README lists them', () => {
  const sites = diagSites(root);
  const table = codeTable(root);
  assert.ok(sites.length > 200 && table.length > 190, `${sites.length} sites, ${table.length} codes`);
  const byFmt = new Map(table.map((c) => [c.fmt, c.code]));
  const missing = sites.filter((s) => !byFmt.has(s.fmt)).map((s) => `${s.file}:${s.line}: no code for ${JSON.stringify(s.fmt)}`);
  assert.deepEqual(missing, [], 'add a line to src/util/diag_codes.c for each');
  const used = new Set(sites.map((s) => s.fmt));
  assert.deepEqual(table.filter((c) => !used.has(c.fmt)).map((c) => c.code), [], 'codes whose format is no longer raised');
  assert.equal(new Set(table.map((c) => c.code)).size, table.length, 'a code used twice');
  assert.equal(byFmt.size, table.length, 'a format listed twice');
  for (const c of table) assert.match(c.code, /^HS[1-6]\d{3}$/);
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const listed = new Set([...readme.matchAll(/^\| `(HS\d{4})` \|/gm)].map((m) => m[1]));
  assert.deepEqual(table.filter((c) => !listed.has(c.code)).map((c) => c.code), [], 'codes missing from README "Diagnostic codes"');
});

test('json: the same diagnostics as text, with codes, for every golden case', () => {
  let n = 0;
  for (const c of readdirSync(join(root, 'tests/golden'))) {
    const dir = join(root, 'tests/golden', c);
    if (!existsSync(join(dir, 'expected'))) continue;
    const files = readdirSync(dir).filter((f) => f.endsWith('.hspec'));
    const args = existsSync(join(dir, 'args')) ? readFileSync(join(dir, 'args'), 'utf8').trim().split(/\s+/) : ['-a', 'app'];
    const fargs = args.includes('-f') ? [] : files.flatMap((f) => ['-f', f]);
    const base = ['generate', 'service', 'manifests', ...fargs, ...args, '--stdout'];
    const text = run(base, { cwd: dir });
    const json = run([...base, '--diagnostics=json'], { cwd: dir });
    assert.equal(json.status, text.status, c);
    const doc = JSON.parse(json.stderr);
    const lines = text.stderr.split('\n').filter((l) => /: (error|warning|note): /.test(l));
    assert.equal(doc.diagnostics.length, lines.length, c);
    doc.diagnostics.forEach((d, i) => {
      assert.notEqual(d.code, 'HS0000', `${c}: ${d.message}`);
      const where = d.line ? `${d.file}:${d.line}:${d.column}: ` : d.file ? `${d.file}: ` : 'hyscale: ';
      assert.equal(lines[i], `${where}${d.severity}: ${d.field ? `${d.field}: ` : ''}${d.message}`);
      n++;
    });
  }
  assert.ok(n > 20, `only ${n} diagnostics`);
});

test('sarif validates against the SARIF 2.1.0 schema and points at the spec line', () => {
  const dir = join(root, 'tests/golden/invalid-spec');
  const r = run(['validate', 'service', '-f', 'web.hspec', '--diagnostics=sarif'], { cwd: dir });
  assert.equal(r.status, 1);
  const sarif = JSON.parse(r.stderr);
  assert.ok(sarifSchema(sarif), ajv.errorsText(sarifSchema.errors));
  const res = sarif.runs[0].results;
  assert.equal(res.length, 11);
  const port = res.find((x) => x.message.text.startsWith('ports[0].port: 70000'));
  assert.deepEqual(port.locations[0].physicalLocation, { artifactLocation: { uri: 'web.hspec' }, region: { startLine: 6, startColumn: 11 } });
  assert.equal(sarif.runs[0].tool.driver.rules[port.ruleIndex].id, port.ruleId);
  // The schema check can fail: a result without a message is refused.
  delete res[0].message;
  assert.ok(!sarifSchema(sarif));
});

test('sarif: warnings, <stdin> and paths with spaces are escaped URIs', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'hs diag '));
  try {
    copyFileSync(join(root, 'tests/lb/specs/annotations.hspec'), join(tmp, 'my spec.hspec'));
    const r = run(['validate', 'service', '-f', 'my spec.hspec', '--provider', 'gateway', '--diagnostics=sarif'], { cwd: tmp });
    const sarif = JSON.parse(r.stderr);
    assert.ok(sarifSchema(sarif), ajv.errorsText(sarifSchema.errors));
    const levels = sarif.runs[0].results.map((x) => x.level);
    assert.ok(levels.includes('warning'));
    assert.ok(sarif.runs[0].results.every((x) => x.locations[0].physicalLocation.artifactLocation.uri === 'my%20spec.hspec'));
    const s = run(['validate', 'service', '-f', '-', '--diagnostics=sarif'], { input: 'name: web\nimage: {name: nginx}\nreplicas: x\n' });
    const ss = JSON.parse(s.stderr);
    assert.ok(sarifSchema(ss), ajv.errorsText(sarifSchema.errors));
    assert.equal(ss.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, '%3Cstdin%3E');
  } finally { rmSync(tmp, { recursive: true, force: true }); }
});

test('--allow CODE drops that warning (also under --strict); errors cannot be allowed', () => {
  const spec = join(root, 'tests/lb/specs/annotations.hspec');
  const base = ['validate', 'service', '-f', spec, '--provider', 'gateway'];
  const j = JSON.parse(run([...base, '--diagnostics=json']).stderr);
  const warn = j.diagnostics.find((d) => d.severity === 'warning');
  assert.ok(warn);
  const codes = [...new Set(j.diagnostics.map((d) => d.code))];
  assert.equal(run([...base, '--strict']).status, 1);
  const allowed = run([...base, '--strict', ...codes.flatMap((c) => ['--allow', c])]);
  assert.equal(allowed.status, 0, allowed.stderr);
  assert.doesNotMatch(allowed.stderr, /warning/);
  const one = JSON.parse(run([...base, '--strict', `--allow=${warn.code}`, '--diagnostics=json']).stderr);
  assert.ok(one.diagnostics.every((d) => d.code !== warn.code));
  assert.equal(one.allowed, j.diagnostics.filter((d) => d.code === warn.code).length);
  const err = run(['validate', 'service', '-f', '-', '--allow', 'HS2018', '--diagnostics=json'], { input: 'name: web\nimage: {name: nginx}\nreplicas: x\n' });
  assert.equal(err.status, 1);
  assert.equal(JSON.parse(err.stderr).diagnostics[0].severity, 'error');
});

test('usage errors: unknown format (with a suggestion), unknown code', () => {
  const r = run(['validate', 'service', '-f', 'x.hspec', '--diagnostics=sarf']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--diagnostics takes text, json or sarif, not 'sarf'; did you mean 'sarif'\?/);
  const c = run(['validate', 'service', '-f', 'x.hspec', '--allow', 'HS9999']);
  assert.equal(c.status, 2);
  assert.match(c.stderr, /'HS9999' is not a diagnostic code/);
});
