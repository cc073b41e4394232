// Defect 2 of issue 12: rollout verdicts are kubectl's (`kubectl rollout status`), on the same
// states of the realistic test server: a Deployment past its progress deadline fails at once;
// a StatefulSet with a partition is done when the pods above it are updated; OnDelete is not
// waited for (kubectl refuses to follow it); old pods are told apart by pod-template-hash, not
// by image; a transient back-off is waited for, a lasting one fails after the grace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { Env, WEB_SPEC } from './harness.mjs';

const NS = 'shop';
const deploy = (f, ...more) => ['deploy', 'service', '-f', f, '-a', 'shop', '-n', NS, ...more];
const DB_SPEC = (tag = '16') => `name: db
image:
  name: library/postgres
  tag: "${tag}"
replicas: 3
ports:
  - port: 5432/tcp
volumes:
  - name: data
    path: /var/lib/postgresql/data
    size: 1Gi
`;

// kubectl's verdict on the same server state
function kubectl(env, what) {
  return new Promise((ok) => execFile('kubectl', ['--kubeconfig', env.kubeconfig, '-n', NS, 'rollout', 'status', what,
    '--watch=false', '--request-timeout=5s'], (err, stdout, stderr) => ok({ code: err ? err.code : 0, out: stdout + stderr })));
}

test('a Deployment past its progress deadline fails at once, as kubectl says', async (t) => {
  // new pods never become ready; the default progressDeadlineSeconds (600) passes in 3 s (5 ms a "second")
  const env = await Env.create(t, { config: { secondsMs: 5 } });
  env.cluster.hooks.stall({ namespace: NS, name: 'web' });
  const spec = env.spec('web.hspec', WEB_SPEC());
  const r = await env.run(deploy(spec, '--timeout', '60s'));
  assert.equal(r.code, 5, r.stdout);
  assert.match(r.stderr, /web: Deployment web did not start: deployment "web" exceeded its progress deadline: ReplicaSet "web-[a-z0-9]+" has timed out progressing/);
  assert.ok(r.ms < 20000, `took ${r.ms} ms: the deadline must end the wait, not --timeout`);
  const k = await kubectl(env, 'deployment/web');
  assert.notEqual(k.code, 0);
  assert.match(k.out, /deployment "web" exceeded its progress deadline/);
});

test('StatefulSet partition: done when the pods above the partition are updated, as kubectl says', async (t) => {
  const env = await Env.create(t);
  const spec = env.spec('db.hspec', DB_SPEC());
  let r = await env.run(deploy(spec));
  assert.equal(r.code, 0, r.stderr);
  // an operator (another field manager) stages updates: only ordinals >= 2 change
  const [code] = env.cluster.applyAs('operator', { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: NS },
    spec: { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } } });
  assert.equal(code, 200);
  env.spec('db.hspec', DB_SPEC('16.1'));
  r = await env.run(deploy(spec, '--timeout', '20s'));
  assert.equal(r.code, 0, r.stderr);
  const sts = env.object('StatefulSet', NS, 'db');
  assert.notEqual(sts.status.currentRevision, sts.status.updateRevision, 'pods below the partition stay at the old revision');
  const k = await kubectl(env, 'statefulset/db');
  assert.equal(k.code, 0, k.out);
  assert.match(k.out, /partitioned roll out complete: 1 new pods have been updated/);
});

test('StatefulSet OnDelete: not waited for (kubectl does not follow it either)', async (t) => {
  const env = await Env.create(t);
  const spec = env.spec('db.hspec', DB_SPEC());
  let r = await env.run(deploy(spec));
  assert.equal(r.code, 0, r.stderr);
  const [code, out] = env.cluster.applyAs('operator', { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: NS },
    spec: { updateStrategy: { type: 'OnDelete', rollingUpdate: null } } }, { force: true });
  assert.equal(code, 200, JSON.stringify(out));
  env.spec('db.hspec', DB_SPEC('16.1'));
  r = await env.run(deploy(spec, '--timeout', '20s'));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /StatefulSet db: updateStrategy OnDelete: its pods change only when they are deleted; not waiting for them/);
  assert.ok(r.ms < 10000, `took ${r.ms} ms`);
  const k = await kubectl(env, 'statefulset/db');
  assert.match(k.out, /rollout status is only available for RollingUpdate strategy type/);
  const st = await env.run(['get', 'service', 'status', '-s', 'db', '-a', 'shop', '-n', NS]);
  assert.match(st.stdout, /db +Running .*updateStrategy OnDelete/);
});

test('an old ReplicaSet\'s crash-looping pod with the same image does not fail the rollout', async (t) => {
  const env = await Env.create(t, { config: { readyDelayMs: 600 } });
  const spec = env.spec('web.hspec', WEB_SPEC());
  // the first revision's pod crash-loops
  env.cluster.hooks.pods({ namespace: NS, workload: 'Deployment/web', state: 'CrashLoopBackOff' });
  let r = await env.run(deploy(spec, '--timeout', '20s'), { env: { HYSCALE_BACKOFF_GRACE: '0.3' } });
  assert.equal(r.code, 5);
  // the fix changes configuration only (same image): new pods run, the old one crash-loops until it is scaled away
  env.cluster.hooks.pods({ namespace: NS, workload: 'Deployment/web', state: 'Running' });
  env.spec('web.hspec', `${WEB_SPEC()}props:\n  FIXED: "yes"\n`);
  r = await env.run(deploy(spec, '--timeout', '20s'), { env: { HYSCALE_BACKOFF_GRACE: '0.3' } });
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stdout + r.stderr, /did not start/);
  const k = await kubectl(env, 'deployment/web');
  assert.equal(k.code, 0, k.out);
  assert.match(k.out, /successfully rolled out/);
});

test('a transient back-off is waited for; a lasting one fails after the grace', async (t) => {
  const env = await Env.create(t, { config: { transientMs: 1500 } });
  let spec = env.spec('web.hspec', WEB_SPEC('acme/transient-crash'));
  let r = await env.run(deploy(spec, '--timeout', '30s'), { env: { HYSCALE_BACKOFF_GRACE: '20' } });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /CrashLoopBackOff/);
  assert.match(r.stdout, /waiting for Deployment web: 1\/1 ready/);
  spec = env.spec('api.hspec', WEB_SPEC('acme/transient-pull').replace('name: web', 'name: api'));
  r = await env.run(deploy(spec, '--timeout', '30s'), { env: { HYSCALE_BACKOFF_GRACE: '20' } });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /ImagePullBackOff/);
  // the same back-off, lasting: a failure once it outlasts the grace, long before --timeout
  spec = env.spec('api.hspec', WEB_SPEC('acme/no-such-image').replace('name: web', 'name: api'));
  r = await env.run(deploy(spec, '--timeout', '60s'), { env: { HYSCALE_BACKOFF_GRACE: '1' } });
  assert.equal(r.code, 5);
  assert.match(r.stderr, /api: Deployment api did not start: .*ImagePullBackOff/);
  assert.ok(r.ms < 15000, `took ${r.ms} ms`);
});
