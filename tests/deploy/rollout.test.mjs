// Defect 2 of issue 12: rollout verdicts are kubectl's (`kubectl rollout status`): a Deployment
// past its progress deadline fails at once; a StatefulSet with a partition is done when the
// pods above the partition are updated; OnDelete is not waited for; old pods are told apart by
// their ReplicaSet's pod-template-hash (or controller-revision-hash), not by image; a transient
// back-off is waited for. Each state is set on the test server's objects directly (the
// controller held back with a long readyDelayMs), so hyscale and kubectl judge the same state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { Env, WEB_SPEC } from './harness.mjs';

const NS = 'shop';
const HOLD = { readyDelayMs: 600000 };   // the controller never finishes on its own
const deploy = (f, ...more) => ['deploy', 'service', '-f', f, '-a', 'shop', '-n', NS, ...more];
const status = (svc) => ['get', 'service', 'status', '-s', svc, '-a', 'shop', '-n', NS];
const DB_SPEC = `name: db
image:
  name: library/postgres
  tag: "16"
replicas: 3
ports:
  - port: 5432/tcp
volumes:
  - name: data
    path: /var/lib/postgresql/data
    size: 1Gi
`;

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));
async function until(fn, what, ms = 8000) {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(20)) { const v = fn(); if (v) return v; }
  assert.fail(`timed out waiting for ${what}`);
}

// kubectl's verdict on the same server state, where the server is one kubectl can use.
function kubectl(env, what) {
  return new Promise((ok) => execFile('kubectl', ['--kubeconfig', env.kubeconfig, '-n', NS, 'rollout', 'status', what,
    '--watch=false', '--request-timeout=5s'], (err, stdout, stderr) => ok({ code: err ? err.code : 0, out: stdout + stderr })));
}
const kubectlUsable = (env) => !!env.cluster.hooks;

function pod(name, labels, owner, state, ready, restarts = 0) {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: NS, labels,
    ownerReferences: [{ apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid, controller: true }] },
  spec: { containers: [{ name: 'web', image: 'registry.hub.docker.com/library/nginx:1.25' }] },
  status: { phase: ready ? 'Running' : 'Pending', containerStatuses: [{ name: 'web', ready, restartCount: restarts, state }] } };
}

test('a Deployment past its progress deadline fails at once, as kubectl says', async (t) => {
  const env = await Env.create(t, { config: HOLD });
  const spec = env.spec('web.hspec', WEB_SPEC());
  const run = env.run(deploy(spec, '--timeout', '60s'));
  const dep = await until(() => env.object('Deployment', NS, 'web'), 'the Deployment');
  if (env.cluster.hooks?.expireDeadline) env.cluster.hooks.expireDeadline({ namespace: NS, name: 'web' });
  else dep.status = { observedGeneration: dep.metadata.generation, replicas: 1, updatedReplicas: 1, readyReplicas: 0,
    availableReplicas: 0, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded',
      message: 'ReplicaSet "web-5d4f" has timed out progressing.' }] };
  const r = await run;
  assert.equal(r.code, 5, r.stdout);
  assert.match(r.stderr, /web: Deployment web did not start: deployment "web" exceeded its progress deadline/);
  assert.ok(r.ms < 15000, `took ${r.ms} ms: the deadline must end the wait, not --timeout`);
  if (kubectlUsable(env)) {
    const k = await kubectl(env, 'deployment/web');
    assert.notEqual(k.code, 0);
    assert.match(k.out, /exceeded its progress deadline/);
  }
});

test('StatefulSet partition: done when the pods above the partition are updated; OnDelete is not waited for', async (t) => {
  const env = await Env.create(t, { config: HOLD });
  const spec = env.spec('db.hspec', DB_SPEC);
  const run = env.run(deploy(spec, '--timeout', '2s'));
  const sts = await until(() => env.object('StatefulSet', NS, 'db'), 'the StatefulSet');
  await run;
  // a partitioned update: pods 2 (above partition 2) updated, 0 and 1 at the old revision
  sts.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition: 2 } };
  sts.status = { observedGeneration: sts.metadata.generation, replicas: 3, readyReplicas: 3, availableReplicas: 3,
    currentReplicas: 2, updatedReplicas: 1, currentRevision: 'db-old', updateRevision: 'db-new' };
  let r = await env.run(status('db'));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /db +Running /);
  if (kubectlUsable(env)) assert.match((await kubectl(env, 'statefulset/db')).out, /partitioned roll out complete/);
  // not yet: the pod above the partition still at the old revision
  sts.status.updatedReplicas = 0;
  r = await env.run(status('db'));
  assert.match(r.stdout, /db +Not Running /);
  // OnDelete: the pods change when someone deletes them; nothing to wait for
  sts.spec.updateStrategy = { type: 'OnDelete' };
  r = await env.run(status('db'));
  assert.match(r.stdout, /db +Running .*updateStrategy OnDelete/);
});

test('an old ReplicaSet\'s crash-looping pod with the same image does not fail the rollout', async (t) => {
  const env = await Env.create(t, { config: HOLD });
  if (!env.cluster.hooks)
    return t.skip('needs a test server that serves ReplicaSets (the realistic server, branch k8s-server)');
  const spec = env.spec('web.hspec', WEB_SPEC());
  const run = env.run(deploy(spec, '--timeout', '2s'));
  const dep = await until(() => env.object('Deployment', NS, 'web'), 'the Deployment');
  await run;
  const sel = dep.spec.selector.matchLabels;
  dep.metadata.annotations = { ...dep.metadata.annotations, 'deployment.kubernetes.io/revision': '2' };
  for (const [hash, rev] of [['old5c7f', '1'], ['new9d8e', '2']])
    env.cluster.create('apps/v1', 'replicasets', NS, { apiVersion: 'apps/v1', kind: 'ReplicaSet',
      metadata: { name: `web-${hash}`, namespace: NS, labels: { ...sel, 'pod-template-hash': hash },
        annotations: { 'deployment.kubernetes.io/revision': rev },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: dep.metadata.uid, controller: true }] },
      spec: { selector: { matchLabels: { ...sel, 'pod-template-hash': hash } }, template: dep.spec.template } });
  for (const [k, e] of env.cluster.store) if (e.obj.kind === 'Pod') env.cluster.store.delete(k);
  env.cluster.create('v1', 'pods', NS, pod('web-old5c7f-a', { ...sel, 'pod-template-hash': 'old5c7f' }, dep,
    { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s restarting failed container' } }, false, 9));
  env.cluster.create('v1', 'pods', NS, pod('web-new9d8e-a', { ...sel, 'pod-template-hash': 'new9d8e' }, dep,
    { running: { startedAt: new Date().toISOString() } }, true));
  dep.status = { observedGeneration: dep.metadata.generation, replicas: 2, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1 };
  const r = await env.run(status('web'));
  assert.match(r.stdout, /web +Not Running .*1 old replicas are pending termination/);
  assert.doesNotMatch(r.stdout, /Failed|CrashLoopBackOff/);
});

test('a transient back-off is waited for; a lasting one fails after the grace', async (t) => {
  const env = await Env.create(t, { config: HOLD });
  const spec = env.spec('web.hspec', WEB_SPEC());
  const run = env.run(deploy(spec, '--timeout', '30s'), { env: { HYSCALE_BACKOFF_GRACE: '20' } });
  const dep = await until(() => env.object('Deployment', NS, 'web'), 'the Deployment');
  const labels = { ...dep.spec.template.metadata.labels, 'pod-template-hash': 'abc123' };
  for (const [k, e] of env.cluster.store) if (e.obj.kind === 'Pod') env.cluster.store.delete(k);
  const p = env.cluster.create('v1', 'pods', NS, pod('web-abc123-x', labels, dep,
    { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "nginx:1.25"' } }, false)).obj;
  dep.status = { observedGeneration: dep.metadata.generation, replicas: 1, updatedReplicas: 1, readyReplicas: 0, availableReplicas: 0 };
  await sleep(800);
  Object.assign(p.status.containerStatuses[0], { state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 10s' } }, restartCount: 1 });
  await sleep(800);
  p.status = { phase: 'Running', containerStatuses: [{ name: 'web', ready: true, restartCount: 1, state: { running: {} } }] };
  Object.assign(dep.status, { readyReplicas: 1, availableReplicas: 1 });
  let r = await run;
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /ImagePullBackOff/);
  assert.match(r.stdout, /waiting for Deployment web: 1\/1 ready/);
  // the same back-off, lasting: a failure once it outlasts the grace
  const spec2 = env.spec('api.hspec', WEB_SPEC('acme/no-such-image').replace('name: web', 'name: api'));
  env.cluster.config.readyDelayMs = 20;
  r = await env.run(deploy(spec2, '--timeout', '30s'), { env: { HYSCALE_BACKOFF_GRACE: '1' } });
  assert.equal(r.code, 5);
  assert.match(r.stderr, /api: Deployment api did not start: .*ImagePullBackOff/);
  assert.ok(r.ms < 10000, `took ${r.ms} ms`);
});
