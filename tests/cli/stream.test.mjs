// generate renders service by service on --jobs N threads (issue 16): output and
// diagnostics are the same bytes whatever N, and a run that fails late (after most
// services were rendered and spooled) still writes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = process.env.HYSCALE_BIN;
const run = (args, cwd) => spawnSync(bin, ['generate', 'service', 'manifests', ...args], { cwd, encoding: 'utf8' });
const providers = ['nginx', 'traefik', 'istio', 'gateway'];

// Service i of an app: every provider, some warnings (allowTraffic from a service that is
// not in the run, ingress-nginx's retirement note) and, with bad, an error of its own.
function spec(i, { bad = false, host } = {}) {
  const name = `svc-${String(i).padStart(3, '0')}`;
  const p = providers[i % 4];
  const internal = i % 5 === 2;
  return [`name: ${name}`, 'image:', '  name: nginx', `  tag: "1.${i % 9}"`, `replicas: ${1 + (i % 3)}`,
    `external: ${!internal}`, 'ports:', `  - port: ${bad ? 70000 : 8080}/http`, '    healthCheck:', '      httpPath: /healthz',
    ...(internal ? ['allowTraffic:', '  - ports: [8080]', '    from: [billing-outside]'] : []),
    ...(i % 7 === 0 ? ['props:', '  LOG_LEVEL: info', `  N: "${i}"`] : []),
    ...(internal ? [] : ['loadBalancer:', `  provider: ${p}`,
      ...(p === 'istio' ? ['  labels:', '    istio: ingressgateway'] : [`  className: ${p}`]),
      `  host: ${host ?? name + '.example.com'}`, '  mapping:', '    - port: 8080/http', '      contextPaths: [/, /api]']), ''].join('\n');
}

function app(n, opts = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'hs-stream-'));
  const files = [];
  for (let i = 1; i <= n; i++) {
    const f = `svc-${String(i).padStart(3, '0')}.hspec`;
    writeFileSync(join(dir, f), spec(i, opts[i] ?? {}));
    files.push('-f', f);
  }
  return { dir, files };
}

// Every file under dir with its bytes and mode, as one comparable string.
function tree(dir) {
  const out = [];
  const walk = (d) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else out.push(`${p.slice(dir.length)} ${(st.mode & 0o777).toString(8)}\n${readFileSync(p, 'utf8')}`);
    }
  };
  walk(dir);
  return out.join('\n');
}

test('--jobs 1 and --jobs 4 write the same stream, folders and diagnostics', () => {
  const { dir, files } = app(60);
  try {
    const base = ['-a', 'shop', '-n', 'shop', ...files];
    const one = run([...base, '--stdout', '--jobs', '1'], dir);
    const four = run([...base, '--stdout', '--jobs', '4'], dir);
    assert.equal(one.status, 0, one.stderr);
    assert.match(one.stderr, /warning: allowTraffic\[0\]\.from\[0\]/);
    assert.equal(four.status, 0, four.stderr);
    assert.equal(four.stdout, one.stdout);
    assert.equal(four.stderr, one.stderr);
    assert.equal((one.stdout.match(/^---$/gm) ?? []).length >= 60 * 3, true);
    const dflt = run([...base, '--stdout'], dir);
    assert.equal(dflt.stdout, one.stdout);
    const j1 = run([...base, '--stdout', '-o', 'json', '--jobs', '1'], dir);
    const j4 = run([...base, '--stdout', '-o', 'json', '--jobs', '4'], dir);
    assert.equal(j1.status, 0, j1.stderr);
    assert.equal(j4.stdout, j1.stdout);
    assert.equal(JSON.parse(j1.stdout).items.length, (one.stdout.match(/^---$/gm) ?? []).length);
    const o1 = run([...base, '-O', 'out1', '--jobs', '1', '-v'], dir);
    const o4 = run([...base, '-O', 'out4', '--jobs', '4', '-v'], dir);
    assert.equal(o1.status, 0, o1.stderr);
    assert.equal(o4.stdout.replaceAll('out4', 'out1'), o1.stdout);
    assert.equal(o4.stderr.replaceAll('out4', 'out1'), o1.stderr);
    assert.equal(tree(join(dir, 'out4')), tree(join(dir, 'out1')));
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('a failing run reports the same diagnostics in the same order for any --jobs', () => {
  // Own errors (a bad port), an error across services (one host and path in 3 and 58),
  // a duplicate name (59 is 2 again) and the warnings of the passing services.
  const { dir, files } = app(60, { 17: { bad: true }, 3: { host: 'shared.example.com' }, 58: { host: 'shared.example.com' } });
  try {
    writeFileSync(join(dir, 'svc-059.hspec'), spec(2));
    const base = ['-a', 'shop', '-n', 'shop', ...files, '--stdout'];
    const one = run([...base, '--jobs', '1'], dir);
    assert.equal(one.status, 1, one.stderr);
    assert.equal(one.stdout, '');
    assert.match(one.stderr, /svc-017\.hspec:8:\d+: error: ports\[0\]/);
    assert.match(one.stderr, /svc-003\.hspec:\d+:\d+: error: loadBalancer\.mapping\[0\]\.contextPaths\[0\]: shared\.example\.com\/ \(prefix\) is also routed by service 'svc-058'/);
    assert.match(one.stderr, /svc-059\.hspec:1:7: error: name: service 'svc-002' is also defined in svc-002\.hspec:1/);
    for (const jobs of ['2', '3', '8']) {
      const r = run([...base, '--jobs', jobs], dir);
      assert.equal(r.status, 1);
      assert.equal(r.stderr, one.stderr, `--jobs ${jobs}`);
      assert.equal(r.stdout, '');
    }
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('a failure found after every service was rendered writes nothing', () => {
  // Services 1 and 80 route one host and path: only the check across services, after the
  // last service was rendered and spooled, finds it.
  const { dir, files } = app(80, { 1: { host: 'late.example.com' }, 80: { host: 'late.example.com' } });
  try {
    for (const jobs of ['1', '2']) {
      const s = run(['-a', 'shop', '-n', 'shop', ...files, '--stdout', '--jobs', jobs], dir);
      assert.equal(s.status, 1, s.stderr);
      assert.equal(s.stdout, '');
      assert.match(s.stderr, /is also routed by service 'svc-080'/);
      assert.match(s.stderr, /nothing was written/);
      const o = run(['-a', 'shop', '-n', 'shop', ...files, '-O', 'out', '--jobs', jobs], dir);
      assert.equal(o.status, 1, o.stderr);
      assert.equal(o.stdout, '');
      assert.equal(existsSync(join(dir, 'out')), false, 'no output folder');
    }
    // The last spec failing its own checks: the same.
    writeFileSync(join(dir, 'svc-080.hspec'), spec(80, { bad: true }));
    writeFileSync(join(dir, 'svc-001.hspec'), spec(1));
    const s = run(['-a', 'shop', '-n', 'shop', ...files, '--stdout'], dir);
    assert.equal(s.status, 1, s.stderr);
    assert.equal(s.stdout, '');
    const o = run(['-a', 'shop', '-n', 'shop', ...files, '-O', 'out'], dir);
    assert.equal(o.status, 1);
    assert.equal(existsSync(join(dir, 'out')), false);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('--jobs takes a number from 1 to 64', () => {
  for (const bad of ['0', '65', 'x', '2x', '']) {
    const r = run(['-a', 'shop', '-f', 'x.hspec', '--stdout', '--jobs', bad]);
    assert.equal(r.status, 2, bad);
    assert.match(r.stderr, /--jobs takes a number of threads from 1 to 64/);
  }
  const v = spawnSync(bin, ['validate', 'service', '-f', 'x.hspec', '--jobs', '2'], { encoding: 'utf8' });
  assert.equal(v.status, 2);
});
