// Every accepted golden case (tests/golden/*, exit code 0) deployed to the test API server: the
// objects in the cluster are the case's expected manifests, object for object, and (every fourth
// case, to keep the suite fast; tests/deploy/flow covers it in depth) a redeploy changes nothing.
// Each case gets its own server (cases share app, namespace and names).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../k8s-server/server.mjs';
import { Env, TOKENS, YAML, applied, kubeconfig, users } from './harness.mjs';

const clone = (o) => JSON.parse(JSON.stringify(o));
const golden = path.join(path.dirname(fileURLToPath(import.meta.url)), '../golden');
const cases = fs.readdirSync(golden).filter((c) =>
  fs.existsSync(path.join(golden, c, 'expected/exit-code')) &&
  fs.readFileSync(path.join(golden, c, 'expected/exit-code'), 'utf8').trim() === '0');

async function deployCase(env, c, redeploy) {
  const dir = path.join(golden, c);
  const args = fs.existsSync(path.join(dir, 'args')) ? fs.readFileSync(path.join(dir, 'args'), 'utf8').trim().split(/\s+/) : ['-a', 'app'];
  const files = args.includes('-f') ? [] : fs.readdirSync(dir).filter((f) => f.endsWith('.hspec')).sort().flatMap((f) => ['-f', f]);
  const cluster = await startServer({ tls: env.certs, tokens: TOKENS, config: { readyDelayMs: 20, lbDelayMs: 20 } });
  try {
    const cfg = kubeconfig(env.dir, `cfg-${c}`, cluster.port, users.certFiles(env.dir));
    const opts = { kubeconfig: cfg, cwd: dir, env: { HYSCALE_ADDRESS_TIMEOUT: '0.1', HYSCALE_POLL_INTERVAL: '0.02' } };
    const r = await env.run(['deploy', 'service', ...files, ...args], opts);
    assert.equal(r.code, 0, `${c}: ${r.stderr}`);
    const expected = [];
    const exp = path.join(dir, 'expected');
    for (const svc of fs.readdirSync(exp).filter((d) => fs.statSync(path.join(exp, d)).isDirectory()))
      for (const f of fs.readdirSync(path.join(exp, svc)))
        expected.push(YAML.parse(fs.readFileSync(path.join(exp, svc, f), 'utf8')));
    // Generated without -n, the objects name no namespace; deploy puts them in the
    // context's namespace (the test kubeconfig has none: default).
    const ns = args.includes('-n') ? args[args.indexOf('-n') + 1] : 'default';
    for (const e of expected) e.metadata.namespace ??= ns;
    const live = [...cluster.store.values()].map((e) => e.obj).filter((o) => o.metadata.labels?.['hyscale.io/app-name'] && !o.metadata.ownerReferences?.some((r) => r.controller));
    const id = (o) => `${o.apiVersion} ${o.kind} ${o.metadata.namespace || ''}/${o.metadata.name}`;
    assert.deepEqual(live.filter((o) => o.kind !== 'Pod').map(id).sort(), expected.map(id).sort(), c);
    // with an HPA, deploy leaves spec.replicas to it (the autoscaler owns the count)
    const scaled = new Set(expected.filter((o) => o.kind === 'HorizontalPodAutoscaler')
      .map((h) => `${h.spec.scaleTargetRef.kind}/${h.spec.scaleTargetRef.name}`));
    const unscaled = (o) => { if (scaled.has(`${o.kind}/${o.metadata.name}`)) delete o.spec.replicas; return o; };
    for (const e of expected)
      assert.deepEqual(unscaled(applied(live.find((o) => id(o) === id(e)))), unscaled(clone(e)), `${c}: ${id(e)}`);
    if (!redeploy) return;
    const versions = live.map((o) => `${id(o)}@${o.metadata.resourceVersion}`).sort();
    const again = await env.run(['deploy', 'service', ...files, ...args], opts);
    assert.equal(again.code, 0, `${c} redeploy: ${again.stderr}`);
    const after = [...cluster.store.values()].map((e) => e.obj).filter((o) => o.metadata.labels?.['hyscale.io/app-name'] && !o.metadata.ownerReferences?.some((r) => r.controller))
      .map((o) => `${id(o)}@${o.metadata.resourceVersion}`).sort();
    assert.deepEqual(after, versions, `${c}: redeploy changed nothing`);
  } finally {
    await cluster.close();
  }
}

test(`every accepted golden case deploys as generated (${cases.length} cases)`, async (t) => {
  const env = await Env.create(t);
  assert.ok(cases.length > 10);
  const queue = cases.map((c, i) => [c, i % 4 === 0]);
  const worker = async () => { for (let job; (job = queue.shift());) await deployCase(env, ...job); };
  await Promise.all([worker(), worker(), worker(), worker()]);
});
