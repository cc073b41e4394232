// .pre-commit-hooks.yaml tried with Debian's pre-commit (`pre-commit try-repo`) on a scratch
// repository (issue 15): valid specs and profiles pass, a rejected one fails with its diagnostic.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, mkdtempSync, rmSync, mkdirSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = process.env.HYSCALE_BIN;
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

test('pre-commit try-repo runs hyscale-validate on changed specs and profiles', (t) => {
  if (!has('pre-commit')) return t.skip('pre-commit not installed (scripts/setup.sh --test installs it)');
  const tmp = mkdtempSync(join(tmpdir(), 'hs-precommit-'));
  try {
    // The hook repository as pre-commit would clone it: this checkout's hook files, committed.
    const hooks = join(tmp, 'hooks');
    mkdirSync(join(hooks, 'contrib'), { recursive: true });
    cpSync(join(root, '.pre-commit-hooks.yaml'), join(hooks, '.pre-commit-hooks.yaml'));
    cpSync(join(root, 'contrib/pre-commit'), join(hooks, 'contrib/pre-commit'), { recursive: true });
    const env = { ...process.env, PATH: `${dirname(bin)}:${process.env.PATH}`, PRE_COMMIT_HOME: join(tmp, 'cache'),
      GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };
    const git = (cwd, ...a) => { const r = spawnSync('git', a, { cwd, env, encoding: 'utf8' }); assert.equal(r.status, 0, r.stderr); };
    git(hooks, 'init', '-q'); git(hooks, 'add', '.'); git(hooks, 'commit', '-qm', 'hooks');

    const work = join(tmp, 'work');
    mkdirSync(join(work, 'shop/profiles'), { recursive: true });
    cpSync(join(root, 'examples/storefront/frontend.hspec'), join(work, 'shop/frontend.hspec'));
    writeFileSync(join(work, 'shop/profiles/prod-frontend.hprof'), 'environment: prod\noverrides: frontend\nreplicas: 3\n');
    git(work, 'init', '-q'); git(work, 'add', '.');
    const tryRepo = (...files) => spawnSync('pre-commit', ['try-repo', hooks, 'hyscale-validate', '--files', ...files],
      { cwd: work, env, encoding: 'utf8' });

    let r = tryRepo('shop/frontend.hspec', 'shop/profiles/prod-frontend.hprof');
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /hyscale validate\.+Passed/);

    writeFileSync(join(work, 'shop/profiles/prod-frontend.hprof'), 'environment: prod\noverrides: frontend\nreplicas: many\n');
    writeFileSync(join(work, 'shop/broken.hspec'), 'name: broken\nimage: {name: nginx}\nports: 80\n');
    git(work, 'add', '.');
    r = tryRepo('shop/frontend.hspec', 'shop/profiles/prod-frontend.hprof', 'shop/broken.hspec');
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /hyscale validate\.+Failed/);
    assert.match(r.stdout, /prod-frontend\.hprof:3:11: error: replicas: expected an integer, got 'many'/);
    assert.match(r.stdout, /shop\/broken\.hspec:3:8: error: ports: expected a list, got a scalar/);
    assert.ok(readFileSync(join(work, 'shop/frontend.hspec'), 'utf8').length > 0);
  } finally { rmSync(tmp, { recursive: true, force: true }); }
});
