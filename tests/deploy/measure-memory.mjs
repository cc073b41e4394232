// Peak memory of `hyscale get app status` reading one large list response (GNU time's %M), for
// the README's numbers: node tests/deploy/measure-memory.mjs path/to/hyscale [MiB]
// Bodies: dense tiny objects (the worst JSON for libfyaml), a realistic pod list, one made of
// big strings, and one just under the token cap; each wrapped in a DeploymentList of one item.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { kubeconfig, makeCerts, users } from './harness.mjs';
import { json, startHostile } from './hostile-server.mjs';

const bin = process.argv[2], mib = Number(process.argv[3] || 4);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hs-mem-'));
const certs = makeCerts(dir);
const srv = await startHostile({ certs });
const cfg = kubeconfig(dir, 'config', srv.port, users.certFiles(dir));
const fill = (one) => { const n = Math.floor((mib << 20) / (one.length + 1)); return `[${Array(n).fill(one).join(',')}]`; };
const pod = JSON.stringify({ metadata: { name: 'web-1', namespace: 'shop', labels: { app: 'web' } },
  spec: { containers: [{ name: 'web', image: 'nginx:1.25', ports: [{ containerPort: 80 }] }] },
  status: { phase: 'Running', containerStatuses: [{ name: 'web', ready: true, restartCount: 0 }] } });
const bodies = {
  'dense {"k":"v"} objects': fill('{"k":"v"}'),
  'pod-like objects': fill(pod),
  'big strings': `[${JSON.stringify('x'.repeat(mib << 20))}]`,
  'dense, just under 1M tokens': `[${Array(142000).fill('{"k":"v"}').join(',')}]`,
};
for (const [name, extra] of Object.entries(bodies)) {
  const text = `{"kind":"DeploymentList","apiVersion":"apps/v1","items":[{"metadata":{"name":"web","labels":{"hyscale.io/service-name":"web"}},"spec":{"replicas":0},"extra":${extra}}]}`;
  srv.handler = (req) => (req.path.includes('/deployments?') ? { status: 200, headers: [['Content-Type', 'application/json']], body: text }
    : json(200, { kind: 'List', apiVersion: 'v1', items: [] }));
  const child = new Promise((ok) => {
    import('node:child_process').then(({ spawn }) => {
      const c = spawn('/usr/bin/time', ['-f', '%M %e', bin, 'get', 'app', 'status', '-a', 'shop', '-n', 'shop'],
        { env: { PATH: process.env.PATH, KUBECONFIG: cfg, HOME: dir, HYSCALE_REQUEST_TIMEOUT: '600' } });
      let err = '';
      c.stderr.on('data', (d) => { err += d; });
      c.on('close', (code, sig) => ok({ code, sig, err }));
    });
  });
  const r = await child;
  const last = r.err.trim().split('\n').pop().split(' ');
  console.log(`${name}: ${(text.length / 1048576).toFixed(1)} MiB body: exit ${r.code ?? r.sig}, peak RSS ${(Number(last[0]) / 1024).toFixed(0)} MiB, ${last[1]} s${r.code ? ` (${r.err.split('\n')[0].slice(0, 140)})` : ''}`);
}
await srv.close();
fs.rmSync(dir, { recursive: true, force: true });
