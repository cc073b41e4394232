// --help, group help, did-you-mean, the man page and the shell completions (issue 15). They
// are all written from one option table (src/cli/options.c): this test checks that each
// command's options are the same in --help, in the man page and in every completion, that
// the parser takes each of them, and that every help has examples.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = process.env.HYSCALE_BIN;
const run = (args, opts = {}) => spawnSync(bin, args, { encoding: 'utf8', ...opts });
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

const commands = run(['--help']).stdout.split('Commands:\n')[1].split('\n\n')[0].trim().split('\n')
  .map((l) => l.trim().split(/\s{2,}/)[0]);
const optionsIn = (text) => [...new Set([...text.matchAll(/^ {2}(?:-(\w)(?:, | ))?(?: {4})?(?:--([\w-]+))?/gm)]
  .flatMap((m) => [m[1] && `-${m[1]}`, m[2] && `--${m[2]}`]).filter(Boolean))].sort();

test('every command has its help with options, examples and exit codes', () => {
  assert.ok(commands.length >= 10, commands.join(','));
  for (const c of commands) {
    const h = run([...c.split(' '), '--help']);
    assert.equal(h.status, 0, c);
    assert.match(h.stdout, new RegExp(`^usage: hyscale ${c}`), c);
    assert.match(h.stdout, /\nExamples:\n {2}hyscale /, c);
    assert.match(h.stdout, /\nExit codes: 0 /, c);
    assert.ok(optionsIn(h.stdout.split('Options:\n')[1]).includes('--help'), c);
  }
  assert.match(run(['--help']).stdout, /\nExamples:\n/);
});

test('the parser takes every option its help lists', () => {
  for (const c of commands) {
    const help = run([...c.split(' '), '--help']).stdout.split('Options:\n')[1].split('\n\nExamples')[0];
    for (const o of optionsIn(help)) {
      const r = run([...c.split(' '), o, 'x', '--help']);
      assert.doesNotMatch(r.stderr, /unknown option/, `${c} ${o}`);
    }
  }
});

test('group help, and did-you-mean for commands, options and values', () => {
  const g = run(['generate', '--help']);
  assert.equal(g.status, 0);
  assert.match(g.stdout, /hyscale generate service manifests +write Kubernetes manifests/);
  const get = run(['get', '--help']);
  assert.match(get.stdout, /get service status[\s\S]*get app status/);
  assert.equal(run(['generate']).status, 2);
  const cases = [
    [['generat'], /unknown command 'generat'; did you mean 'generate'\?/],
    [['valdate', 'service'], /did you mean 'validate'\?/],
    [['validate', 'service', '-f', 'x', '--provder', 'nginx'], /unknown option '--provder'; did you mean '--provider'\?/],
    [['validate', 'service', '-f', 'x', '--stirct'], /did you mean '--strict'\?/],
    [['get', 'app', 'status', '-a', 'x', '--contxt', 'c'], /did you mean '--context'\?/],
    [['validate', 'service', '-f', 'x', '--provider', 'ngnix'], /unknown provider 'ngnix'; supported: .*; did you mean 'nginx'\?/],
    [['validate', 'service', '-f', 'x', '--gateway-channel', 'experimntal'], /did you mean 'experimental'\?/],
    [['generate', 'service', 'manifests', '-f', 'x', '-a', 'ab', '-o', 'yml'], /did you mean 'yaml'\?/],
  ];
  for (const [args, re] of cases) {
    const r = run(args);
    assert.equal(r.status, 2, args.join(' '));
    assert.match(r.stderr, re);
  }
});

test('the man page holds every command with the same options as its --help, and groff reads it cleanly', () => {
  const man = run(['man']);
  assert.equal(man.status, 0);
  const g = spawnSync('groff', ['-man', '-Tutf8', '-ww', '-z'], { input: man.stdout, encoding: 'utf8' });
  assert.equal(g.stderr, '', 'groff warnings');
  const text = spawnSync('groff', ['-man', '-Tascii', '-P', '-cbou'], { input: man.stdout, encoding: 'utf8' }).stdout;
  const sections = text.split(/\n {3}hyscale (?=[a-z])/).slice(1);
  for (const c of commands) {
    const sec = sections.find((s) => s.startsWith(`${c}\n`));
    assert.ok(sec, `man: no section for ${c}`);
    const help = run([...c.split(' '), '--help']).stdout.split('Options:\n')[1].split('\n\nExamples')[0];
    const manOpts = [...new Set([...sec.matchAll(/^ {7}(?:-(\w)(?:, |\s))?(?:--([\w-]+))?/gm)]
      .flatMap((m) => [m[1] && `-${m[1]}`, m[2] && `--${m[2]}`]).filter(Boolean))].sort();
    assert.deepEqual(manOpts, optionsIn(help), c);
    assert.match(sec, /Examples:/, c);
  }
});

function bashComplete(line, cwd) {
  const words = line.split(' ');
  const script = `source <("${bin}" completion bash)\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')})\nCOMP_CWORD=${words.length - 1}\n_hyscale\nprintf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = spawnSync('bash', ['-c', script], { encoding: 'utf8', cwd });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter(Boolean).sort();
}

test('bash completion: commands, options and values from the tables', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'hs-comp-'));
  try {
    writeFileSync(join(tmp, 'web.hspec'), 'name: web\n');
    writeFileSync(join(tmp, 'prod-web.hprof'), 'environment: prod\n');
    writeFileSync(join(tmp, 'notes.txt'), '');
    assert.deepEqual(bashComplete('hyscale gen', tmp), ['generate']);
    assert.deepEqual(bashComplete('hyscale get ', tmp), ['app', 'service']);
    assert.deepEqual(bashComplete('hyscale generate service manifests --prov', tmp), ['--provider']);
    assert.deepEqual(bashComplete('hyscale validate service --provider ', tmp), ['contour', 'f5-nginx', 'gateway', 'haproxy', 'istio', 'nginx', 'traefik']);
    assert.deepEqual(bashComplete('hyscale generate service manifests -o ', tmp), ['json', 'yaml']);
    assert.deepEqual(bashComplete('hyscale get app status -o ', tmp), ['json']);
    assert.deepEqual(bashComplete('hyscale validate service -f ', tmp), ['web.hspec']);
    assert.deepEqual(bashComplete('hyscale deploy service -p ', tmp), ['prod-web.hprof']);
    assert.deepEqual(bashComplete('hyscale validate service --diagnostics ', tmp), ['json', 'sarif', 'text']);
    assert.ok(bashComplete('hyscale validate service --allow HS30', tmp).length > 10);
    assert.deepEqual(bashComplete('hyscale completion ', tmp), ['bash', 'fish', 'zsh']);
    // every option of every command's help completes
    for (const c of commands) {
      const help = run([...c.split(' '), '--help']).stdout.split('Options:\n')[1].split('\n\nExamples')[0];
      const opts = optionsIn(help);
      const comp = bashComplete(`hyscale ${c} -`, tmp);
      assert.deepEqual(comp, opts, c);
    }
  } finally { rmSync(tmp, { recursive: true, force: true }); }
});

test('zsh completion (through bashcompinit) loads and completes', (t) => {
  if (!has('zsh')) return t.skip('zsh not installed (scripts/setup.sh installs it)');
  // As bashcompinit's compgen -F calls it: in sh emulation (0-based arrays).
  const script = `autoload -U compinit && compinit -u; source <("${bin}" completion zsh)
c() { emulate -L sh; setopt kshglob noshglob braceexpand; COMP_WORDS=(hyscale validate service --prov); COMP_CWORD=3; _hyscale; print -l -- "\${COMPREPLY[@]}"; }
c`;
  const r = spawnSync('zsh', ['-f', '-c', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  // zsh's compadd then keeps the candidates that start with the word typed.
  const got = r.stdout.split('\n').filter(Boolean);
  assert.ok(got.includes('--provider') && got.includes('--strict'), got.join(' '));
  assert.deepEqual(got.filter((w) => w.startsWith('--prov')), ['--provider']);
});

test('fish completion loads and completes', (t) => {
  if (!has('fish')) return t.skip('fish not installed (scripts/setup.sh installs it)');
  const tmp = mkdtempSync(join(tmpdir(), 'hs-fish-'));
  try {
    writeFileSync(join(tmp, 'hyscale.fish'), run(['completion', 'fish']).stdout);
    const q = (line) => {
      const r = spawnSync('fish', ['--no-config', '-c', `source ${join(tmp, 'hyscale.fish')}; complete -C '${line}'`], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      return r.stdout.split('\n').filter(Boolean).map((l) => l.split('\t')[0]).sort();
    };
    assert.ok(q('hyscale ').includes('generate'));
    assert.deepEqual(q('hyscale get '), ['app', 'service']);
    assert.deepEqual(q('hyscale validate service --prov'), ['--provider']);
    assert.deepEqual(q('hyscale validate service --provider '), ['contour', 'f5-nginx', 'gateway', 'haproxy', 'istio', 'nginx', 'traefik']);
  } finally { rmSync(tmp, { recursive: true, force: true }); }
});
