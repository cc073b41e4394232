// `hyscale schema` (issue 15) against a real JSON-Schema validator (ajv, draft 2020-12):
// every spec hyscale accepts (the bundled example, every golden case that generates, and
// with HYSCALE_CORPUS the HyScale examples) validates; every hostile fixture hyscale
// refuses for its shape fails. tests/unit/test_fields.c keeps the table and the reader in step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, existsSync, statSync, mkdtempSync, rmSync, cpSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(root, 'tests/schema/package.json'));
const Ajv2020 = require('ajv/dist/2020').default;
const YAML = require('yaml');
const bin = process.env.HYSCALE_BIN;

const schemaOf = (kind) => {
  const r = spawnSync(bin, ['schema', kind], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
};
const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
const service = ajv.compile(schemaOf('service'));
const profile = ajv.compile(schemaOf('profile'));
const check = (validate, file, text = readFileSync(file, 'utf8')) => {
  const ok = validate(YAML.parse(text));
  return ok ? null : `${file}: ${ajv.errorsText(validate.errors)}`;
};
const walk = (dir, ext) => readdirSync(dir).flatMap((n) => {
  const p = join(dir, n);
  return statSync(p).isDirectory() ? walk(p, ext) : p.endsWith(ext) ? [p] : [];
});

test('the schema is draft 2020-12 and compiles in strict mode; default is the service schema', () => {
  const s = schemaOf('service');
  assert.equal(s.$schema, 'https://json-schema.org/draft/2020-12/schema');
  const dflt = spawnSync(bin, ['schema'], { encoding: 'utf8' });
  assert.deepEqual(JSON.parse(dflt.stdout), s);
  assert.deepEqual(s.required, ['name', 'image']);
  assert.equal(s.additionalProperties, false);
  assert.match(s.properties.loadBalancer.properties.mapping.items.properties.port.description, /TCP port/);
});

test('every provider of `hyscale --help` is in the provider enum, in any case', () => {
  const help = spawnSync(bin, ['--help'], { encoding: 'utf8' }).stdout;
  const names = help.split('Providers (loadBalancer.provider):')[1].split('\n\n')[0].trim().split('\n').map((l) => l.trim().split(/\s+/)[0]);
  assert.ok(names.length >= 4);
  const p = schemaOf('service').properties.loadBalancer.properties.provider;
  for (const n of names) {
    assert.ok(p.anyOf[0].enum.includes(n), n);
    assert.match(n.toUpperCase(), new RegExp(p.anyOf[1].pattern));
  }
  assert.doesNotMatch('ngnix', new RegExp(p.anyOf[1].pattern));
});

test('every golden spec and profile of a case that generates validates', () => {
  const errs = []; let n = 0;
  for (const c of readdirSync(join(root, 'tests/golden'))) {
    const dir = join(root, 'tests/golden', c);
    if (!existsSync(join(dir, 'expected/exit-code')) || readFileSync(join(dir, 'expected/exit-code'), 'utf8').trim() !== '0') continue;
    // The seed document's example has an empty k8sSnippets entry (`- `): hyscale skips it with
    // a warning, and the schema rightly shows it to an editor as a mistake.
    if (c === 'seed-load-balancer') continue;
    // The run's inputs: -f/-p of its args (as tests/golden/run.sh), else its own files.
    const args = existsSync(join(dir, 'args')) ? readFileSync(join(dir, 'args'), 'utf8').trim().split(/\s+/) : [];
    const given = (opt) => args.flatMap((a, i) => (args[i - 1] === opt ? a.split(',') : [])).map((f) => join(dir, f));
    const specs = given('-f').length ? given('-f') : walk(dir, '.hspec').filter((f) => !f.includes('/expected/'));
    const profiles = [...new Set([...given('-p'), ...walk(dir, '.hprof')])];
    for (const f of specs) { n++; const e = check(service, f); if (e) errs.push(e); }
    for (const f of profiles) { n++; const e = check(profile, f); if (e) errs.push(e); }
  }
  n++; const e = check(service, join(root, 'examples/storefront/frontend.hspec')); if (e) errs.push(e);
  assert.deepEqual(errs, []);
  assert.ok(n >= 60, `only ${n} files`);
});

test('every HyScale example hyscale accepts validates (HYSCALE_CORPUS)', (t) => {
  const corpus = process.env.HYSCALE_CORPUS;
  if (!corpus) return t.skip('HYSCALE_CORPUS not set');
  const tmp = mkdtempSync(join(tmpdir(), 'hs-schema-'));
  try {
    cpSync(join(corpus, 'examples'), tmp, { recursive: true });
    const errs = []; let accepted = 0;
    for (const f of walk(tmp, '.hspec')) {
      writeFileSync(f, readFileSync(f, 'utf8').replaceAll('{{username}}', 'hyscale-corpus'));
      const r = spawnSync(bin, ['validate', 'service', '-f', basename(f)], { cwd: dirname(f), encoding: 'utf8' });
      if (r.status !== 0 || r.stderr.includes('unknown field')) continue; // an editor flags those
      accepted++;
      const e = check(service, f); if (e) errs.push(e);
    }
    for (const f of walk(tmp, '.hprof')) { const e = check(profile, f); if (e) errs.push(e); }
    assert.deepEqual(errs, []);
    assert.ok(accepted >= 20, `only ${accepted} accepted examples`);
  } finally { rmSync(tmp, { recursive: true, force: true }); }
});

test('every hostile fixture refused for its shape fails the schema', () => {
  const shape = /expected (a|an|true)|is not a port|is not a boolean|is not a match type|unknown field/;
  const lines = readFileSync(join(root, 'tests/hostile/cases.txt'), 'utf8').split('\n')
    .filter((l) => l && !l.startsWith('#')).map((l) => l.split('|').map((x) => x.trim()));
  const cases = lines.filter(([c, , , msg]) => shape.test(msg || '') && existsSync(join(root, 'tests/hostile/cases', `${c}.hspec`)));
  assert.ok(cases.length >= 25, `only ${cases.length} cases`);
  const passed = [];
  for (const [c] of cases) {
    const f = join(root, 'tests/hostile/cases', `${c}.hspec`);
    let doc;
    try { doc = YAML.parse(readFileSync(f, 'utf8'), { maxAliasCount: 100 }); } catch { continue; } // not even YAML for an editor
    // 0x50 is the integer 80 to every YAML 1.2 reader, editors included; hyscale refuses the spelling.
    if (service(doc) && c !== 'port-hex') passed.push(c);
  }
  assert.deepEqual(passed, []);
});

test('a typo and a wrong shape are caught, as an editor would show them', () => {
  assert.ok(!service({ name: 'web', image: { name: 'nginx' }, replcas: 2 }));
  assert.ok(!service({ name: 'web', image: { name: 'nginx' }, ports: [{ port: '80/sctp' }] }));
  assert.ok(!service({ name: 'web', image: { name: 'nginx' }, loadBalancer: { provider: 'ngnix', mapping: [] } }));
  assert.ok(service({ name: 'web', image: { name: 'nginx', tag: 1.25 }, replicas: { min: 1, max: 3, cpuThreshold: '70%' },
    loadBalancer: { provider: 'Gateway-API', host: 'a.example.com', sticky: { ttl: '30m' },
      mapping: [{ port: 80, contextPaths: ['/', { path: '/x', match: 'exact' }] }] } }), ajv.errorsText(service.errors));
  assert.ok(profile({ environment: 'prod', overrides: 'web', replicas: 3 }), ajv.errorsText(profile.errors));
  assert.ok(!profile({ environment: 'prod', overrides: 'web', name: 'other' }));
  assert.ok(!profile({ overrides: 'web' }));
});
