// Shared set-up for the deploy tests: certificates made with the openssl CLI at test time, the
// in-process Kubernetes API test server (tests/k8s-server), kubeconfig files for every auth
// variant, specs, and running hyscale asynchronously (the server shares our event loop).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { startServer } from '../k8s-server/server.mjs';
import { byKind } from '../k8s-server/resources.mjs';
import { TYPES } from '../k8s-server/schema.mjs';
import { fromFieldsV1, project } from '../k8s-server/apply.mjs';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
export const YAML = require(path.join(here, '../schema/node_modules/yaml'));
export const HYSCALE = process.env.HYSCALE_BIN || path.join(here, '../../build/hyscale');

export const TOKENS = { 'admin-token': 'admin', 'viewer-token': 'viewer', 'exec-token': 'admin', 'deployer-token': 'deployer' };

function openssl(dir, ...args) {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

// CA, server certificate for 127.0.0.1, client certificates admin and viewer.
export function makeCerts(dir) {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl(dir, 'req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=hyscale-test-ca');
  const sign = (name, subj, ext) => {
    openssl(dir, 'req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subj);
    fs.writeFileSync(path.join(dir, `${name}.ext`), ext);
    openssl(dir, 'x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial',
      '-out', `${name}.crt`, '-days', '2', '-extfile', `${name}.ext`);
  };
  sign('server', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  sign('admin', '/O=system:masters/CN=admin', 'extendedKeyUsage=clientAuth\n');
  sign('viewer', '/CN=viewer', 'extendedKeyUsage=clientAuth\n');
  // A CA nobody trusts, for the wrong-CA case.
  openssl(dir, 'req', '-x509', ...ec, '-keyout', 'other-ca.key', '-out', 'other-ca.crt', '-days', '2', '-subj', '/CN=other');
  const read = (f) => fs.readFileSync(path.join(dir, f), 'utf8');
  return { dir, ca: read('ca.crt'), key: read('server.key'), cert: read('server.crt') };
}

const b64 = (s) => Buffer.from(s).toString('base64');

// A kubeconfig with one context "test"; user is the users[] entry's `user` mapping.
export function kubeconfig(dir, name, port, user, { cluster = {}, extra = {} } = {}) {
  const cfg = {
    apiVersion: 'v1', kind: 'Config', 'current-context': 'test',
    clusters: [{ name: 'test-cluster', cluster: { server: `https://127.0.0.1:${port}`, 'certificate-authority': path.join(dir, 'ca.crt'), ...cluster } }],
    users: [{ name: 'test-user', user }],
    contexts: [{ name: 'test', context: { cluster: 'test-cluster', user: 'test-user' } }],
    ...extra,
  };
  const file = path.join(dir, name);
  fs.writeFileSync(file, YAML.stringify(cfg));
  return file;
}

export const users = {
  certFiles: (dir) => ({ 'client-certificate': path.join(dir, 'admin.crt'), 'client-key': path.join(dir, 'admin.key') }),
  certData: (dir) => ({ 'client-certificate-data': b64(fs.readFileSync(path.join(dir, 'admin.crt'))),
    'client-key-data': b64(fs.readFileSync(path.join(dir, 'admin.key'))) }),
  token: (t = 'admin-token') => ({ token: t }),
};
export { b64 };

export class Env {
  static async create(t, { config, missing } = {}) {
    const env = new Env();
    env.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hs-deploy-'));
    env.certs = makeCerts(env.dir);
    env.cluster = await startServer({ tls: env.certs, tokens: TOKENS, config, missing });
    env.kubeconfig = kubeconfig(env.dir, 'config', env.cluster.port, users.certFiles(env.dir));
    t.after(async () => { await env.cluster.close(); fs.rmSync(env.dir, { recursive: true, force: true }); });
    return env;
  }

  spec(name, text) {
    const f = path.join(this.dir, name);
    fs.writeFileSync(f, text);
    return f;
  }

  // Runs hyscale; resolves {code, stdout, stderr, ms}.
  run(args, { env = {}, kubeconfig = this.kubeconfig, cwd } = {}) {
    const start = Date.now();
    return new Promise((resolve) => {
      const child = spawn(HYSCALE, args, {
        env: { PATH: process.env.PATH, HOME: this.dir, KUBECONFIG: kubeconfig, HYSCALE_POLL_INTERVAL: '0.05',
          HYSCALE_ADDRESS_TIMEOUT: '2', HYSCALE_REQUEST_TIMEOUT: '2', HYSCALE_BACKOFF: '0.05', HYSCALE_RETRIES: '3',
          ASAN_OPTIONS: process.env.ASAN_OPTIONS || '', UBSAN_OPTIONS: process.env.UBSAN_OPTIONS || '', ...env },
        stdio: ['ignore', 'pipe', 'pipe'], cwd });
      let stdout = '', stderr = '';
      child.stdout.on('data', (d) => { stdout += d; });
      child.stderr.on('data', (d) => { stderr += d; });
      child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - start }));
    });
  }

  // The objects in the store of a kind (and namespace).
  objects(kind, ns) {
    return [...this.cluster.store.values()].map((e) => e.obj)
      .filter((o) => o.kind === kind && (!ns || o.metadata.namespace === ns));
  }
  object(kind, ns, name) { return this.objects(kind, ns).find((o) => o.metadata.name === name); }
}

// What an applied object says, without the fields the server adds (defaults, status, metadata):
// the fields its Apply managers own (managedFields), comparable with generate.
export function applied(o) {
  const r = byKind(o.apiVersion, o.kind);
  const node = r?.schema ? { apiVersion: 's', kind: 's', ...TYPES[r.schema] } : 'any';
  const set = new Set();
  for (const m of o.metadata.managedFields || [])
    if (m.operation === 'Apply') for (const p of fromFieldsV1(m.fieldsV1)) set.add(p);
  const c = project(o, set, node);
  c.apiVersion = o.apiVersion;
  c.kind = o.kind;
  c.metadata = { ...(c.metadata || {}), name: o.metadata.name, ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}) };
  // an atomic list is owned whole, with the server's defaults inside: those are not applied
  for (const t of c.spec?.volumeClaimTemplates || []) {
    if (t.apiVersion === 'v1' && t.kind === 'PersistentVolumeClaim') { delete t.apiVersion; delete t.kind; }
    if (t.status?.phase === 'Pending' && Object.keys(t.status).length === 1) delete t.status;
    if (t.spec?.volumeMode === 'Filesystem') delete t.spec.volumeMode;
  }
  if (c.metadata.annotations) {
    delete c.metadata.annotations['hyscale.io/applied-kinds'];
    if (!Object.keys(c.metadata.annotations).length) delete c.metadata.annotations;
  }
  return c;
}

export const NGINX_SPEC = `name: productpage
image:
  registry: registry.hub.docker.com
  name: istio/examples-bookinfo-productpage-v1
  tag: 1.16.2
external: true
replicas: 2
ports:
  - port: 9080/http
    healthCheck:
      httpPath: /health
  - port: 9090/http
loadBalancer:
  provider: nginx
  className: nginx-class
  host: bookinfo.example.com
  tlsSecret: bookinfo-tls
  mapping:
    - port: 9080/http
      contextPaths:
        - /productpage
        - /login
    - port: 9090
      contextPaths:
        - /admin
`;

export function withoutLoadBalancer(spec) { return spec.slice(0, spec.indexOf('loadBalancer:')); }
export function withProvider(spec, p) { return spec.replace('provider: nginx', `provider: ${p}`) +
  (p === 'istio' ? '  labels:\n    istio: ingressgateway\n' : ''); }

export const WEB_SPEC = (image = 'library/nginx', replicas = 1) => `name: web
image:
  registry: registry.hub.docker.com
  name: ${image}
  tag: "1.25"
replicas: ${replicas}
ports:
  - port: 80/http
`;
