// Defect 1 of issue 12: with a HorizontalPodAutoscaler, hyscale must not own spec.replicas.
// Once the HPA has rescaled (field manager kube-controller-manager, through /scale), a redeploy
// must neither get 409 nor scale back; a workload applied with replicas by an earlier hyscale
// is handed over to the HPA without a scale-down.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Env, YAML } from './harness.mjs';

const NS = 'shop';
const SPEC = (extra = '') => `name: web
image:
  name: nginx
  tag: "1.25"
cpu: 100m-500m
replicas:
  min: 2
  max: 10
  cpuThreshold: 75%
ports:
  - port: 80/http
${extra}`;
const deploy = (f) => ['deploy', 'service', '-f', f, '-a', 'shop', '-n', NS];

// The HPA controller rescales: the realistic server's hook, else the same ownership change by hand
// (an Update through /scale takes spec.replicas from every other manager).
async function hpaScales(env, replicas) {
  if (env.cluster.hooks?.hpaLoad) return env.cluster.hooks.hpaLoad({ namespace: NS, name: 'shop-web', replicas });
  const [code] = env.cluster.apply('apps/v1', 'deployments', 'Deployment', NS, 'web',
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas } }, 'kube-controller-manager', true);
  assert.ok(code === 200, `scale: ${code}`);
}

const settle = (ms = 400) => new Promise((ok) => setTimeout(ok, ms));

test('redeploy after the HPA rescaled: no 409, no scale-down', async (t) => {
  const env = await Env.create(t);
  const spec = env.spec('web.hspec', SPEC());
  let r = await env.run(deploy(spec));
  assert.equal(r.code, 0, r.stderr);
  assert.ok(env.object('HorizontalPodAutoscaler', NS, 'shop-web'));
  await hpaScales(env, 4);
  await settle();
  assert.equal(env.object('Deployment', NS, 'web').spec.replicas, 4);
  // an unrelated change of the spec, redeployed
  env.spec('web.hspec', SPEC('props:\n  LEVEL: debug\n'));
  r = await env.run(deploy(spec));
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /conflict|409/);
  await settle();
  assert.equal(env.object('Deployment', NS, 'web').spec.replicas, 4, 'the HPA\'s count stays');
  const patches = env.cluster.log.filter((l) => l.method === 'PATCH' && l.path.includes('/deployments/web'));
  assert.ok(patches.every((l) => l.status === 200 || l.status === 201), JSON.stringify(patches));
});

test('a workload applied with replicas before is handed over without a scale-down', async (t) => {
  const env = await Env.create(t);
  const spec = env.spec('web.hspec', SPEC());
  // what an earlier hyscale applied: the generated manifests, spec.replicas (3) included, as field manager hyscale
  const gen = await env.run(['generate', 'service', 'manifests', '-f', spec, '-a', 'shop', '-n', NS, '--stdout']);
  assert.equal(gen.code, 0, gen.stderr);
  const docs = YAML.parseAllDocuments(gen.stdout).map((d) => d.toJS()).filter(Boolean);
  env.cluster.create('v1', 'namespaces', null, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  for (const d of docs) {
    if (d.kind === 'Deployment') d.spec.replicas = 3;
    const plural = { Deployment: 'deployments', Service: 'services', HorizontalPodAutoscaler: 'horizontalpodautoscalers' }[d.kind];
    const [code] = env.cluster.apply(d.apiVersion, plural, d.kind, NS, d.metadata.name, d, 'hyscale', false);
    assert.ok(code === 201, `${d.kind}: ${code}`);
  }
  await settle();
  assert.equal(env.object('Deployment', NS, 'web').spec.replicas, 3);
  const r = await env.run(deploy(spec));
  assert.equal(r.code, 0, r.stderr);
  await settle();
  const live = env.object('Deployment', NS, 'web');
  assert.equal(live.spec.replicas, 3, 'no scale-down while ownership moves');
  assert.match(r.stdout, /Deployment web: spec\.replicas \(3\) handed over to the HorizontalPodAutoscaler/);
  // hyscale no longer applies the field: its own field set has no spec.replicas
  const mine = env.cluster.get('apps/v1', 'deployments', NS, 'web').managers.get('hyscale');
  assert.equal(mine?.spec?.replicas, undefined);
  // and the HPA can now rescale and be kept
  await hpaScales(env, 5);
  const again = await env.run(deploy(spec));
  assert.equal(again.code, 0, again.stderr);
  await settle();
  assert.equal(env.object('Deployment', NS, 'web').spec.replicas, 5);
});
