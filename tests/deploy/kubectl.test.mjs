// kubectl (v1.32) is the referee of the test API server (tests/k8s-server): discovery, tables,
// protobuf creates, server-side and client-side apply of every golden case's manifests, field
// validation, immutable fields, dry-run and diff, rollout status verdicts (Deployment progress
// deadline, StatefulSet partition and OnDelete, crash loops), scale and the HPA as a second field
// manager, granular list merging, delete with propagation and finalizer-like holds, namespace
// deletion, watch, paging and selectors. Every golden case is also deployed by hyscale to a
// second server: what kubectl and hyscale store for the same manifests must be the same.
// Anything kubectl cannot do against the server fails here; nothing is skipped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startServer } from '../k8s-server/server.mjs';
import { Env, TOKENS, YAML, applied, kubeconfig, users } from './harness.mjs';

const golden = path.join(path.dirname(fileURLToPath(import.meta.url)), '../golden');
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

// Runs kubectl against a kubeconfig; resolves {code, stdout, stderr, ms}.
function kubectl(env, args, { cfg = env.kubeconfig, input, timeoutMs = 60000 } = {}) {
  const start = Date.now();
  return new Promise((resolve) => {
    const child = spawn('kubectl', args, { env: { PATH: process.env.PATH, HOME: env.dir, KUBECONFIG: cfg },
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    if (input !== undefined) child.stdin.end(input);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr, ms: Date.now() - start }); });
  });
}
const ok = (r, what) => assert.equal(r.code, 0, `${what}: ${r.stderr}${r.stdout}`);
const yaml = (...docs) => docs.map((d) => YAML.stringify(d)).join('---\n');

const LABELS = { app: 'web' };
const deployment = (name, { image = 'registry.example/web:1', replicas, extra = {}, labels = { app: name } } = {}) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'shop' },
  spec: { ...(replicas !== undefined ? { replicas } : {}), selector: { matchLabels: labels }, ...extra,
    template: { metadata: { labels }, spec: { containers: [{ name: 'web', image, ports: [{ containerPort: 80 }] }] } } } });
const statefulset = (name, { image = 'registry.example/db:1', replicas = 3, strategy } = {}) => ({
  apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name, namespace: 'shop' },
  spec: { replicas, serviceName: name, selector: { matchLabels: { app: name } }, ...(strategy ? { updateStrategy: strategy } : {}),
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'db', image }] } },
    volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }] } });

// The waiting reason of a workload's pod as kubectl reads it, polled until it is `want` (≤ 3 s).
async function podState(env, app, want) {
  let got = '';
  for (let i = 0; i < 30 && got !== want; i++) {
    got = (await kubectl(env, ['-n', 'shop', 'get', 'pods', '-l', `app=${app}`, '-o', 'jsonpath={.items[*].status.containerStatuses[0].state.waiting.reason}'])).stdout;
    if (got !== want) await sleep(100);
  }
  return got;
}

async function shop(env) {
  ok(await kubectl(env, ['create', 'namespace', 'shop']), 'create namespace');
}

test('discovery, tables, protobuf creates, HTTP/2: kubectl version / api-resources / get / create', async (t) => {
  const env = await Env.create(t);
  let r = await kubectl(env, ['version']);
  ok(r, 'version');
  assert.match(r.stdout, /Server Version: v1\.32\./);
  r = await kubectl(env, ['api-resources']);
  ok(r, 'api-resources');
  assert.match(r.stdout, /^deployments +deploy +apps\/v1 +true +Deployment$/m);
  assert.match(r.stdout, /^horizontalpodautoscalers +hpa +autoscaling\/v2 +true +HorizontalPodAutoscaler$/m);
  assert.match(r.stdout, /^namespaces +ns +v1 +false +Namespace$/m);
  assert.match(r.stdout, /^widgetry +example\.com\/v1 +false +Widget$/m);
  r = await kubectl(env, ['api-resources', '--categories=all', '-o', 'name']);
  ok(r, 'api-resources --categories');
  assert.deepEqual(r.stdout.trim().split('\n').sort(), ['deployments.apps', 'horizontalpodautoscalers.autoscaling', 'pods', 'replicasets.apps', 'services', 'statefulsets.apps']);
  r = await kubectl(env, ['get', 'ns']);
  ok(r, 'get ns');
  assert.match(r.stdout, /^NAME +STATUS +AGE\ndefault +Active +\d+s\n/);
  // kubectl's typed clients send protobuf: a Namespace, ConfigMap, Secret, Deployment are decoded
  ok(await kubectl(env, ['create', 'namespace', 'shop']), 'create namespace');
  r = await kubectl(env, ['get', 'ns', 'shop', '-o', 'jsonpath={.status.phase} {.metadata.labels.kubernetes\\.io/metadata\\.name}']);
  assert.equal(r.stdout, 'Active shop');
  ok(await kubectl(env, ['-n', 'shop', 'create', 'configmap', 'cfg', '--from-literal=a=b']), 'create configmap');
  ok(await kubectl(env, ['-n', 'shop', 'create', 'secret', 'generic', 's', '--from-literal=a=b']), 'create secret');
  ok(await kubectl(env, ['-n', 'shop', 'create', 'deployment', 'web', '--image=registry.example/web:1', '--port=80']), 'create deployment');
  r = await kubectl(env, ['-n', 'shop', 'get', 'configmap/cfg', 'secret/s', '-o', 'jsonpath={.items[*].data.a}']);
  assert.equal(r.stdout, 'b Yg==');
  ok(await kubectl(env, ['-n', 'shop', 'rollout', 'status', 'deployment/web', '--timeout=20s']), 'rollout status');
  r = await kubectl(env, ['-n', 'shop', 'get', 'deploy,rs,pods', '-o', 'wide']);
  ok(r, 'get wide');
  assert.match(r.stdout, /^deployment\.apps\/web +1\/1 +1 +1 +\d+s +web +registry\.example\/web:1 +app=web\n/m);
  assert.match(r.stdout, /^replicaset\.apps\/web-[a-z0-9]+ +1 +1 +1 +\d+s/m);
  assert.match(r.stdout, /^pod\/web-[a-z0-9]+-[a-z0-9]{5} +1\/1 +Running +0 +\d+s/m);
  // kubectl and hyscale both reach the server over HTTP/2 (libcurl's path against a real server)
  const kubectlProtos = new Set(env.cluster.log.filter((l) => /kubectl/.test(l.agent || '')).map((l) => l.protocol));
  assert.deepEqual([...kubectlProtos], ['HTTP/2']);
  const spec = env.spec('web.hspec', 'name: api\nimage:\n  registry: registry.example\n  name: api\n  tag: "1"\nports:\n  - port: 80/http\n');
  r = await env.run(['deploy', 'service', '-f', spec, '-a', 'shop', '-n', 'shop']);
  ok(r, 'hyscale deploy');
  const hsProtos = new Set(env.cluster.log.filter((l) => /hyscale/.test(l.agent || '')).map((l) => l.protocol));
  assert.deepEqual([...hsProtos], ['HTTP/2']);
});

test('rollout status: the right object, progress deadline, transient and permanent crash loops', async (t) => {
  const env = await Env.create(t, { config: { secondsMs: 100, transientMs: 4000 } });
  await shop(env);
  env.cluster.hooks.stall({ namespace: 'shop', name: 'web' });
  ok(await kubectl(env, ['apply', '--server-side', '-f', '-'], { input: yaml(deployment('web', { extra: { progressDeadlineSeconds: 600 } }), deployment('api')) }), 'apply');
  let r = await kubectl(env, ['-n', 'shop', 'rollout', 'status', 'deployment/api', '--timeout=20s']);
  ok(r, 'api rollout');
  assert.equal(r.stdout.trim().split('\n').pop(), 'deployment "api" successfully rolled out');
  r = await kubectl(env, ['-n', 'shop', 'rollout', 'status', 'deployment/web', '--timeout=1s']);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /Waiting for deployment "web" rollout to finish: 0 of 1 updated replicas are available\.\.\./);
  assert.doesNotMatch(r.stdout, /api/);
  assert.match(r.stderr, /timed out waiting for the condition/);
  // the progress deadline passes (3 "seconds" of 100 ms): Progressing=False, kubectl gives up
  ok(await kubectl(env, ['apply', '--server-side', '-f', '-'], { input: yaml(deployment('web', { extra: { progressDeadlineSeconds: 3 } })) }), 'apply deadline');
  await sleep(500);
  r = await kubectl(env, ['-n', 'shop', 'rollout', 'status', 'deployment/web', '--timeout=20s']);
  assert.equal(r.code, 1, r.stdout);
  assert.match(r.stderr, /error: deployment "web" exceeded its progress deadline/);
  r = await kubectl(env, ['-n', 'shop', 'get', 'deploy', 'web', '-o', 'jsonpath={.status.conditions[?(@.type=="Progressing")].reason}']);
  assert.equal(r.stdout, 'ProgressDeadlineExceeded');
  // a transient crash loop: kubectl keeps waiting, and the rollout completes
  ok(await kubectl(env, ['apply', '--server-side', '-f', '-'], { input: yaml(deployment('flaky', { image: 'registry.example/transient-crash:1' })) }), 'apply flaky');
  assert.equal(await podState(env, 'flaky', 'CrashLoopBackOff'), 'CrashLoopBackOff');
  r = await kubectl(env, ['-n', 'shop', 'rollout', 'status', 'deployment/flaky', '--timeout=20s']);
  ok(r, 'flaky rollout');
  assert.match(r.stdout, /deployment "flaky" successfully rolled out/);
  // a permanent one: kubectl waits until its timeout (it has no crash-loop verdict)
  ok(await kubectl(env, ['apply', '--server-side', '-f', '-'], { input: yaml(deployment('broken', { image: 'registry.example/crashloop:1' })) }), 'apply broken');
  r = await kubectl(env, ['-n', 'shop', 'rollout', 'status', 'deployment/broken', '--timeout=1s']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /timed out waiting for the condition/);
  // the deadline hook: Progressing=False at once; kubectl's verdict follows
  env.cluster.hooks.expireDeadline({ namespace: 'shop', name: 'broken' });
  r = await kubectl(env, ['-n', 'shop', 'rollout', 'status', 'deployment/broken', '--timeout=20s']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /error: deployment "broken" exceeded its progress deadline/);
  // the pods hook: image pull back-off for 1 s, then the pods run
  env.cluster.hooks.pods({ namespace: 'shop', workload: 'Deployment/pull', state: 'ImagePullBackOff', ms: 4000 });
  ok(await kubectl(env, ['apply', '--server-side', '-f', '-'], { input: yaml(deployment('pull')) }), 'apply pull');
  assert.equal(await podState(env, 'pull', 'ImagePullBackOff'), 'ImagePullBackOff');
  ok(await kubectl(env, ['-n', 'shop', 'rollout', 'status', 'deployment/pull', '--timeout=20s']), 'pull rollout');
  // a rollout to a new template: old ReplicaSet scaled down, revision 2, then rollout undo
  ok(await kubectl(env, ['apply', '--server-side', '-f', '-'], { input: yaml(deployment('api', { image: 'registry.example/web:2', replicas: 3 })) }), 'apply api v2');
  ok(await kubectl(env, ['-n', 'shop', 'rollout', 'status', 'deployment/api', '--timeout=20s']), 'api v2 rollout');
  r = await kubectl(env, ['-n', 'shop', 'get', 'rs', '-l', 'app=api', '-o', 'jsonpath={range .items[*]}{.metadata.annotations.deployment\\.kubernetes\\.io/revision}={.spec.replicas} {end}']);
  assert.deepEqual(r.stdout.trim().split(' ').sort(), ['1=0', '2=3']);
  r = await kubectl(env, ['-n', 'shop', 'rollout', 'history', 'deployment/api']);
  ok(r, 'rollout history');
  assert.match(r.stdout, /^1 +<none>\n2 +<none>/m);
});

test('StatefulSet: revisions, partition and OnDelete as kubectl rollout status sees them', async (t) => {
  const env = await Env.create(t);
  await shop(env);
  ok(await kubectl(env, ['apply', '--server-side', '-f', '-'], { input: yaml(statefulset('db')) }), 'apply');
  let r = await kubectl(env, ['-n', 'shop', 'rollout', 'status', 'statefulset/db', '--timeout=20s']);
  ok(r, 'rollout');
  assert.match(r.stdout, /partitioned roll out complete: 3 new pods have been updated\.\.\./);
  const revs = async () => (await kubectl(env, ['-n', 'shop', 'get', 'pods', '-l', 'app=db', '-o',
    'jsonpath={range .items[*]}{.metadata.name}={.metadata.labels.controller-revision-hash} {end}'])).stdout.trim().split(' ').sort();
  const [rev1] = (await revs()).map((x) => x.split('=')[1]);
  // partition 2: only db-2 moves to the new revision
  ok(await kubectl(env, ['apply', '--server-side', '-f', '-'], { input: yaml(statefulset('db', { image: 'registry.example/db:2',
    strategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } })) }), 'apply partition');
  r = await kubectl(env, ['-n', 'shop', 'rollout', 'status', 'statefulset/db', '--timeout=20s']);
  ok(r, 'partition rollout');
  assert.match(r.stdout, /partitioned roll out complete: 1 new pods have been updated\.\.\./);
  const after = await revs();
  const rev2 = after.find((x) => x.startsWith('db-2=')).split('=')[1];
  assert.notEqual(rev2, rev1);
  assert.deepEqual(after, [`db-0=${rev1}`, `db-1=${rev1}`, `db-2=${rev2}`]);
  r = await kubectl(env, ['-n', 'shop', 'get', 'sts', 'db', '-o', 'jsonpath={.status.currentRevision} {.status.updateRevision} {.status.updatedReplicas}']);
  assert.equal(r.stdout, `${rev1} ${rev2} 1`);
  r = await kubectl(env, ['-n', 'shop', 'get', 'controllerrevisions', '-o', 'jsonpath={range .items[*]}{.metadata.name}:{.revision} {end}']);
  assert.deepEqual(r.stdout.trim().split(' ').sort(), [`${rev1}:1`, `${rev2}:2`].sort());
  // OnDelete: kubectl has no verdict; a pod deleted by the user comes back at the new revision
  ok(await kubectl(env, ['apply', '--server-side', '-f', '-'], { input: yaml(statefulset('db', { image: 'registry.example/db:2', strategy: { type: 'OnDelete' } })) }), 'apply OnDelete');
  r = await kubectl(env, ['-n', 'shop', 'rollout', 'status', 'statefulset/db', '--timeout=5s']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /rollout status is only available for RollingUpdate strategy type/);
  ok(await kubectl(env, ['-n', 'shop', 'delete', 'pod', 'db-0']), 'delete pod');
  await sleep(500);
  assert.ok((await revs()).includes(`db-0=${rev2}`));
  assert.ok((await revs()).includes(`db-1=${rev1}`));
  // immutable StatefulSet fields
  const changed = statefulset('db', { image: 'registry.example/db:2', strategy: { type: 'OnDelete' } });
  changed.spec.volumeClaimTemplates[0].spec.resources.requests.storage = '2Gi';
  r = await kubectl(env, ['apply', '--server-side', '-f', '-'], { input: yaml(changed) });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /The StatefulSet "db" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden/);
});

test('scale, the HPA as a second field manager, granular list merging and per-field conflicts', async (t) => {
  const env = await Env.create(t);
  await shop(env);
  ok(await kubectl(env, ['apply', '--server-side', '-f', '-'], { input: yaml(deployment('web', { replicas: 1 })) }), 'apply');
  let r = await kubectl(env, ['-n', 'shop', 'scale', 'deployment/web', '--replicas=3']);
  ok(r, 'scale');
  ok(await kubectl(env, ['-n', 'shop', 'rollout', 'status', 'deployment/web', '--timeout=20s']), 'rollout');
  r = await kubectl(env, ['-n', 'shop', 'get', 'deploy', 'web', '-o', 'json', '--show-managed-fields']);
  let d = JSON.parse(r.stdout);
  assert.equal(d.spec.replicas, 3);
  assert.equal(d.status.readyReplicas, 3);
  const scaler = d.metadata.managedFields.find((m) => m.subresource === 'scale');
  assert.ok(scaler?.fieldsV1['f:spec']['f:replicas'], 'the scale subresource owns spec.replicas');
  // the HPA controller scales through /scale as kube-controller-manager
  const hpa = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: 'shop' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 4,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }] } };
  ok(await kubectl(env, ['apply', '--server-side', '-f', '-'], { input: yaml(hpa) }), 'apply hpa');
  env.cluster.hooks.hpaLoad({ namespace: 'shop', name: 'web', replicas: 9 });
  await sleep(300);
  r = await kubectl(env, ['-n', 'shop', 'get', 'hpa', 'web']);
  assert.match(r.stdout, /^web +Deployment\/web +cpu: <unknown>\/70% +2 +4 +\d+ +\d+s$/m);
  r = await kubectl(env, ['-n', 'shop', 'get', 'deploy', 'web', '-o', 'json', '--show-managed-fields']);
  d = JSON.parse(r.stdout);
  assert.equal(d.spec.replicas, 4, 'clamped to maxReplicas');
  assert.ok(d.metadata.managedFields.some((m) => m.manager === 'kube-controller-manager' && m.subresource === 'scale' && m.fieldsV1['f:spec']['f:replicas']));
  // re-applying replicas now conflicts with the HPA (what hyscale must avoid: issue 12, defect 1)
  r = await kubectl(env, ['apply', '--server-side', '-f', '-'], { input: yaml(deployment('web', { replicas: 1 })) });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /conflict with "kube-controller-manager" with subresource "scale" using apps\/v1: \.spec\.replicas/);
  // without replicas the apply goes through and the HPA's count stays
  ok(await kubectl(env, ['apply', '--server-side', '-f', '-'], { input: yaml(deployment('web')) }), 'apply without replicas');
  r = await kubectl(env, ['-n', 'shop', 'get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}']);
  assert.equal(r.stdout, '4');
  // a second manager adds an env var and a port to the container: merged by name / containerPort+protocol
  const ops = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: { template: { spec: {
    containers: [{ name: 'web', env: [{ name: 'EXTRA', value: '1' }], ports: [{ containerPort: 9090, protocol: 'TCP' }] }] } } } };
  ok(await kubectl(env, ['apply', '--server-side', '--field-manager=ops', '-f', '-'], { input: yaml(ops) }), 'ops apply');
  r = await kubectl(env, ['-n', 'shop', 'get', 'deploy', 'web', '-o', 'json']);
  d = JSON.parse(r.stdout);
  assert.equal(d.spec.template.spec.containers.length, 1);
  assert.equal(d.spec.template.spec.containers[0].image, 'registry.example/web:1');
  assert.deepEqual(d.spec.template.spec.containers[0].env, [{ name: 'EXTRA', value: '1' }]);
  assert.deepEqual(d.spec.template.spec.containers[0].ports.map((p) => p.containerPort), [80, 9090]);
  // the first manager re-applies without them: they stay (owned by ops); an image change by ops conflicts
  ok(await kubectl(env, ['apply', '--server-side', '-f', '-'], { input: yaml(deployment('web')) }), 're-apply');
  r = await kubectl(env, ['-n', 'shop', 'get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].env[0].name}']);
  assert.equal(r.stdout, 'EXTRA');
  ops.spec.template.spec.containers[0].image = 'registry.example/web:2';
  r = await kubectl(env, ['apply', '--server-side', '--field-manager=ops', '-f', '-'], { input: yaml(ops) });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /conflict with "kubectl": \.spec\.template\.spec\.containers\[name="web"\]\.image/);
  ok(await kubectl(env, ['apply', '--server-side', '--field-manager=ops', '--force-conflicts', '-f', '-'], { input: yaml(ops) }), 'forced');
  r = await kubectl(env, ['-n', 'shop', 'get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']);
  assert.equal(r.stdout, 'registry.example/web:2');
  // a no-op apply changes nothing: same resourceVersion
  const rv = (await kubectl(env, ['-n', 'shop', 'get', 'deploy', 'web', '-o', 'jsonpath={.metadata.resourceVersion}'])).stdout;
  ok(await kubectl(env, ['apply', '--server-side', '--field-manager=ops', '-f', '-'], { input: yaml(ops) }), 'no-op');
  assert.equal((await kubectl(env, ['-n', 'shop', 'get', 'deploy', 'web', '-o', 'jsonpath={.metadata.resourceVersion}'])).stdout, rv);
});

test('validation, immutable fields, dry-run and diff', async (t) => {
  const env = await Env.create(t);
  await shop(env);
  const bad = deployment('web');
  bad.spec.template.spec.containers[0].imagePullPolcy = 'Always';
  let r = await kubectl(env, ['apply', '--server-side', '-f', '-'], { input: yaml(bad) });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /strict decoding error: unknown field "spec\.template\.spec\.containers\[0\]\.imagePullPolcy"/);
  r = await kubectl(env, ['apply', '--server-side', '--validate=warn', '-f', '-'], { input: yaml(bad) });
  ok(r, 'validate=warn');
  assert.match(r.stderr, /Warning: unknown field "spec\.template\.spec\.containers\[0\]\.imagePullPolcy"/);
  r = await kubectl(env, ['-n', 'shop', 'get', 'deploy', 'web', '-o', 'json']);
  assert.equal(JSON.parse(r.stdout).spec.template.spec.containers[0].imagePullPolcy, undefined, 'unknown fields are dropped');
  // defaults as the API server sets them
  const d = JSON.parse(r.stdout);
  assert.deepEqual(d.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
  assert.equal(d.spec.revisionHistoryLimit, 10);
  assert.equal(d.spec.progressDeadlineSeconds, 600);
  assert.equal(d.spec.template.spec.containers[0].terminationMessagePath, '/dev/termination-log');
  assert.equal(d.spec.template.spec.containers[0].ports[0].protocol, 'TCP');
  // immutable: selector, Service clusterIP, ConfigMap with immutable: true
  r = await kubectl(env, ['apply', '--server-side', '-f', '-'], { input: yaml(deployment('web', { labels: { app: 'web', tier: 'x' } })) });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /The Deployment "web" is invalid: spec\.selector: Invalid value: .*field is immutable/);
  const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: LABELS, ports: [{ port: 80 }] } };
  ok(await kubectl(env, ['apply', '--server-side', '-f', '-'], { input: yaml(svc) }), 'service');
  r = await kubectl(env, ['-n', 'shop', 'get', 'svc', 'web', '-o', 'json']);
  const s = JSON.parse(r.stdout);
  assert.match(s.spec.clusterIP, /^10\.96\./);
  assert.deepEqual([s.spec.sessionAffinity, s.spec.ipFamilies, s.spec.ipFamilyPolicy, s.spec.ports[0].targetPort], ['None', ['IPv4'], 'SingleStack', 80]);
  r = await kubectl(env, ['apply', '--server-side', '-f', '-'], { input: yaml({ ...svc, spec: { ...svc.spec, clusterIP: '10.96.200.200' } }) });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /The Service "web" is invalid: spec\.clusterIPs\[0\]: Invalid value: .*may not change once set/);
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'shop' }, data: { a: '1' }, immutable: true };
  ok(await kubectl(env, ['apply', '--server-side', '-f', '-'], { input: yaml(cm) }), 'configmap');
  r = await kubectl(env, ['apply', '--server-side', '-f', '-'], { input: yaml({ ...cm, data: { a: '2' } }) });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /The ConfigMap "cfg" is invalid: data: Forbidden: field is immutable when `immutable` is set/);
  // the reject hook: a 422 for one object, once
  env.cluster.hooks.reject({ kind: 'Deployment', name: 'web', field: 'spec.template.spec.containers[0].image', message: 'Invalid value: "x": rejected by policy' });
  r = await kubectl(env, ['apply', '--server-side', '-f', '-'], { input: yaml(deployment('web')) });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /The Deployment "web" is invalid: spec\.template\.spec\.containers\[0\]\.image: Invalid value: "x": rejected by policy/);
  ok(await kubectl(env, ['apply', '--server-side', '-f', '-'], { input: yaml(deployment('web')) }), 'apply after the 422');
  // server-side dry-run never persists
  r = await kubectl(env, ['apply', '--server-side', '--dry-run=server', '-f', '-'], { input: yaml(deployment('api')) });
  ok(r, 'dry-run create');
  assert.match(r.stdout, /deployment\.apps\/api serverside-applied \(server dry run\)/);
  r = await kubectl(env, ['-n', 'shop', 'get', 'deploy', 'api']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /deployments\.apps "api" not found/);
  ok(await kubectl(env, ['apply', '--server-side', '--dry-run=server', '-f', '-'], { input: yaml(deployment('web', { image: 'registry.example/web:9' })) }), 'dry-run update');
  r = await kubectl(env, ['-n', 'shop', 'get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image} {.metadata.generation}']);
  assert.equal(r.stdout, 'registry.example/web:1 1');
  // diff: exit 0 without changes, 1 with the change shown (server-side and client-side apply)
  r = await kubectl(env, ['diff', '--server-side', '-f', '-'], { input: yaml(deployment('web')) });
  assert.equal(r.code, 0, r.stderr + r.stdout);
  r = await kubectl(env, ['diff', '--server-side', '-f', '-'], { input: yaml(deployment('web', { image: 'registry.example/web:2' })) });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /^-      - image: registry\.example\/web:1\n\+      - image: registry\.example\/web:2$/m);
  ok(await kubectl(env, ['apply', '-f', '-'], { input: yaml({ ...cm, metadata: { ...cm.metadata, name: 'plain' }, immutable: undefined }) }), 'client-side apply');
  r = await kubectl(env, ['diff', '-f', '-'], { input: yaml({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'plain', namespace: 'shop' }, data: { a: '1', b: '2' } }) });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /^\+  b: "2"$/m);
  ok(await kubectl(env, ['apply', '-f', '-'], { input: yaml({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'plain', namespace: 'shop' }, data: { b: '2' } }) }), 'client-side apply 2');
  r = await kubectl(env, ['-n', 'shop', 'get', 'cm', 'plain', '-o', 'jsonpath={.data}']);
  assert.equal(r.stdout, '{"b":"2"}', 'the strategic merge patch removed a, added b');
});

test('delete: propagation, finalizer-like holds that kubectl waits for, namespace deletion', async (t) => {
  const env = await Env.create(t);
  await shop(env);
  const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: LABELS, ports: [{ port: 80 }] } };
  ok(await kubectl(env, ['apply', '--server-side', '-f', '-'], { input: yaml(deployment('web', { replicas: 2 }), deployment('api'), svc) }), 'apply');
  ok(await kubectl(env, ['-n', 'shop', 'rollout', 'status', 'deployment/web', '--timeout=20s']), 'rollout');
  let r = await kubectl(env, ['-n', 'shop', 'delete', 'deployment', 'web']);
  ok(r, 'delete');
  r = await kubectl(env, ['-n', 'shop', 'get', 'rs,pods', '-l', 'app=web']);
  assert.match(r.stderr, /No resources found in shop namespace/);
  r = await kubectl(env, ['-n', 'shop', 'delete', 'deployment', 'api', '--cascade=foreground']);
  ok(r, 'foreground delete');
  assert.equal((await kubectl(env, ['-n', 'shop', 'get', 'rs,pods', '-l', 'app=api', '-o', 'name'])).stdout, '');
  // a held deletion (finalizer-like): kubectl wait --for=delete returns only once the hold ends
  env.cluster.hooks.holdDeletion({ kind: 'Service', namespace: 'shop', name: 'web', ms: 60000 });
  r = await kubectl(env, ['-n', 'shop', 'delete', 'service', 'web', '--wait=false']);
  ok(r, 'delete --wait=false');
  r = await kubectl(env, ['-n', 'shop', 'get', 'svc', 'web', '-o', 'jsonpath={.metadata.finalizers} {.metadata.deletionTimestamp}']);
  assert.match(r.stdout, /^\["hyscale\.test\/hold"\] \d{4}-/, r.stderr);
  let released = 0;
  const release = sleep(1500).then(() => { released = Date.now(); env.cluster.hooks.releaseDeletion({ kind: 'Service' }); });
  r = await kubectl(env, ['-n', 'shop', 'wait', '--for=delete', 'service/web', '--timeout=30s']);
  const doneAt = Date.now();
  await release;
  ok(r, 'wait for delete');
  assert.ok(released && released <= doneAt, 'kubectl wait returned only after the hold ended');
  assert.equal(env.objects('Service', 'shop').length, 0);
  // namespace deletion: Terminating while an object in it is held, then its objects and itself go
  ok(await kubectl(env, ['apply', '--server-side', '-f', '-'], { input: yaml(deployment('db'), svc) }), 'apply again');
  env.cluster.hooks.holdDeletion({ kind: 'Service', namespace: 'shop', name: 'web', ms: 60000 });
  ok(await kubectl(env, ['delete', 'namespace', 'shop', '--wait=false']), 'delete ns');
  r = await kubectl(env, ['get', 'ns', 'shop', '-o', 'jsonpath={.status.phase}']);
  assert.equal(r.stdout, 'Terminating');
  r = await kubectl(env, ['apply', '--server-side', '-f', '-'], { input: yaml(deployment('late')) });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /unable to create new content in namespace shop because it is being terminated/);
  assert.equal(env.objects('Deployment', 'shop').length, 0, 'the namespace controller deleted the Deployment');
  env.cluster.hooks.releaseDeletion({ kind: 'Service' });
  r = await kubectl(env, ['wait', '--for=delete', 'namespace/shop', '--timeout=30s']);
  ok(r, 'namespace gone');
  assert.equal(env.objects('Deployment', 'shop').length + env.objects('Pod', 'shop').length + env.objects('Service', 'shop').length, 0);
});

test('watch, paging, label and field selectors', async (t) => {
  const env = await Env.create(t);
  await shop(env);
  ok(await kubectl(env, ['apply', '--server-side', '-f', '-'], { input: yaml(deployment('web', { replicas: 3 }), deployment('api', { replicas: 2 })) }), 'apply');
  ok(await kubectl(env, ['-n', 'shop', 'rollout', 'status', 'deployment/web', '--timeout=20s']), 'rollout');
  ok(await kubectl(env, ['-n', 'shop', 'rollout', 'status', 'deployment/api', '--timeout=20s']), 'rollout');
  let r = await kubectl(env, ['-n', 'shop', 'get', 'pods', '--chunk-size=2', '-o', 'name']);
  ok(r, 'paged list');
  assert.equal(r.stdout.trim().split('\n').length, 5);
  assert.ok(env.cluster.log.some((l) => /\/pods\?.*continue=/.test(l.path)), 'kubectl followed continue tokens');
  r = await kubectl(env, ['-n', 'shop', 'get', 'pods', '-l', 'app in (api)', '-o', 'name']);
  assert.equal(r.stdout.trim().split('\n').length, 2);
  r = await kubectl(env, ['-n', 'shop', 'get', 'pods', '-l', 'app!=api,app', '-o', 'name']);
  assert.equal(r.stdout.trim().split('\n').length, 3);
  r = await kubectl(env, ['get', 'pods', '-A', '--field-selector', 'status.phase=Running,metadata.namespace=shop', '-o', 'name']);
  assert.equal(r.stdout.trim().split('\n').length, 5);
  r = await kubectl(env, ['-n', 'shop', 'get', 'deploy', '--field-selector', 'metadata.name=api', '-o', 'name']);
  assert.equal(r.stdout.trim(), 'deployment.apps/api');
  r = await kubectl(env, ['-n', 'shop', 'get', 'deploy', '--field-selector', 'spec.replicas=2']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /"spec\.replicas" is not a known field selector/);
  // get -w: the change arrives as a watch event
  const child = spawn('kubectl', ['-n', 'shop', 'get', 'deploy', 'api', '-w', '--output-watch-events', '--no-headers'],
    { env: { PATH: process.env.PATH, HOME: env.dir, KUBECONFIG: env.kubeconfig } });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  for (let i = 0; i < 100 && !/ADDED/.test(out); i++) await sleep(50);
  ok(await kubectl(env, ['-n', 'shop', 'scale', 'deployment/api', '--replicas=4']), 'scale');
  for (let i = 0; i < 100 && !/MODIFIED +api +4\/4/.test(out); i++) await sleep(50);
  child.kill();
  assert.match(out, /^ADDED +api +2\/2 +2 +2 +\d+s$/m);
  assert.match(out, /^MODIFIED +api +\d\/4 /m);
  assert.match(out, /^MODIFIED +api +4\/4 +4 +4 +\d+s$/m);
});

// Every accepted golden case: kubectl applies the expected manifests (server-side), reads them
// back, waits for every workload's rollout; hyscale deploys the same case to a second server;
// both servers store the same objects and the same managed field sets.
const cases = fs.readdirSync(golden).filter((c) => fs.existsSync(path.join(golden, c, 'expected/exit-code')) &&
  fs.readFileSync(path.join(golden, c, 'expected/exit-code'), 'utf8').trim() === '0');
const norm = (o) => {
  const c = JSON.parse(JSON.stringify(o));
  for (const k of ['uid', 'creationTimestamp', 'resourceVersion', 'generation', 'managedFields']) delete c.metadata[k];
  delete c.status;
  if (c.metadata.annotations) { delete c.metadata.annotations['hyscale.io/applied-kinds']; if (!Object.keys(c.metadata.annotations).length) delete c.metadata.annotations; }
  if (c.kind === 'Service') { delete c.spec.clusterIP; delete c.spec.clusterIPs; for (const p of c.spec.ports || []) delete p.nodePort; }
  return c;
};
const fieldSets = (o) => JSON.stringify((o.metadata.managedFields || []).filter((m) => m.operation === 'Apply').map((m) => {
  const f = JSON.parse(JSON.stringify(m.fieldsV1));
  const a = f['f:metadata']?.['f:annotations'];
  if (a) { delete a['f:hyscale.io/applied-kinds']; if (!Object.keys(a).length) delete f['f:metadata']['f:annotations']; }
  return f;
}));

async function goldenCase(env, c) {
  const dir = path.join(golden, c), exp = path.join(dir, 'expected');
  const expected = [];
  for (const svc of fs.readdirSync(exp).filter((d) => fs.statSync(path.join(exp, d)).isDirectory()))
    for (const f of fs.readdirSync(path.join(exp, svc))) expected.push(YAML.parse(fs.readFileSync(path.join(exp, svc, f), 'utf8')));
  // Generated without -n the objects name no namespace: kubectl (and deploy) put them in the
  // context's namespace, which is default in these kubeconfigs.
  for (const o of expected) o.metadata.namespace ??= 'default';
  const id = (o) => `${o.apiVersion} ${o.kind} ${o.metadata.namespace || ''}/${o.metadata.name}`;
  const cfgOf = (cl, name) => kubeconfig(env.dir, name, cl.port, users.certFiles(env.dir));
  const a = await startServer({ tls: env.certs, tokens: TOKENS, config: { readyDelayMs: 20, lbDelayMs: 20 } });
  const b = await startServer({ tls: env.certs, tokens: TOKENS, config: { readyDelayMs: 20, lbDelayMs: 20 } });
  try {
    const cfg = cfgOf(a, `k-${c}`);
    for (const ns of new Set(expected.map((o) => o.metadata.namespace).filter((n) => n && n !== 'default'))) {
      const r = await kubectl(env, ['create', 'namespace', ns], { cfg });
      assert.equal(r.code, 0, `${c}: ${r.stderr}`);
    }
    let r = await kubectl(env, ['apply', '--server-side', '-R', '-f', exp], { cfg });
    assert.equal(r.code, 0, `${c}: kubectl apply: ${r.stderr}`);
    r = await kubectl(env, ['get', '-R', '-f', exp, '-o', 'json', '--show-managed-fields'], { cfg });
    assert.equal(r.code, 0, `${c}: kubectl get: ${r.stderr}`);
    const got = JSON.parse(r.stdout);
    const items = got.kind === 'List' ? got.items : [got];
    assert.deepEqual(items.map(id).sort(), expected.map(id).sort(), c);
    for (const e of expected) assert.deepEqual(applied(items.find((o) => id(o) === id(e))), e, `${c}: kubectl stored ${id(e)}`);
    for (const w of expected.filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet')) {
      r = await kubectl(env, ['-n', w.metadata.namespace, 'rollout', 'status', `${w.kind.toLowerCase()}/${w.metadata.name}`, '--timeout=30s'], { cfg });
      assert.equal(r.code, 0, `${c}: rollout status ${w.metadata.name}: ${r.stderr}`);
      assert.match(r.stdout, new RegExp(w.kind === 'Deployment' ? `deployment "${w.metadata.name}" successfully rolled out` : 'roll out complete'), c);
    }
    // hyscale deploys the same case to server b
    const args = fs.existsSync(path.join(dir, 'args')) ? fs.readFileSync(path.join(dir, 'args'), 'utf8').trim().split(/\s+/) : ['-a', 'app'];
    const files = args.includes('-f') ? [] : fs.readdirSync(dir).filter((f) => f.endsWith('.hspec')).sort().flatMap((f) => ['-f', f]);
    const hs = await env.run(['deploy', 'service', ...files, ...args], { kubeconfig: cfgOf(b, `h-${c}`), cwd: dir,
      env: { HYSCALE_ADDRESS_TIMEOUT: '0.1', HYSCALE_POLL_INTERVAL: '0.02' } });
    assert.equal(hs.code, 0, `${c}: hyscale: ${hs.stderr}`);
    for (const e of expected) {
      const ka = a.store.get(a.key(e.apiVersion, findPlural(a, e), e.metadata.namespace, e.metadata.name))?.obj;
      const hb = b.store.get(b.key(e.apiVersion, findPlural(b, e), e.metadata.namespace, e.metadata.name))?.obj;
      assert.ok(hb, `${c}: hyscale stored ${id(e)}`);
      assert.deepEqual(norm(hb), norm(ka), `${c}: kubectl and hyscale store the same ${id(e)}`);
      // with an HPA, hyscale leaves spec.replicas to the autoscaler (issue 12, defect 1): kubectl applying
      // the file owns it, hyscale does not
      const hpa = expected.some((h) => h.kind === 'HorizontalPodAutoscaler' && h.spec.scaleTargetRef.kind === e.kind &&
        h.spec.scaleTargetRef.name === e.metadata.name);
      assert.equal(fieldSets(hb), hpa ? fieldSets(ka).replace('"f:replicas":{},', '') : fieldSets(ka),
        `${c}: kubectl and hyscale own the same fields of ${id(e)}`);
    }
  } finally {
    await a.close();
    await b.close();
  }
}
const findPlural = (cl, o) => [...cl.store.values()].find((e) => e.obj.kind === o.kind && e.obj.apiVersion === o.apiVersion)?.plural;

test(`every accepted golden case: kubectl apply --server-side, get, rollout status; same store as hyscale (${cases.length} cases)`, async (t) => {
  const env = await Env.create(t);
  assert.ok(cases.length > 10);
  const queue = [...cases];
  const worker = async () => { for (let c; (c = queue.shift());) await goldenCase(env, c); };
  await Promise.all([worker(), worker(), worker()]);
});
