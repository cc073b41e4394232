// A Kubernetes API test server for hyscale's deploy tests, on 127.0.0.1 only. It implements
// the endpoints hyscale uses with the real API's semantics, in memory:
//  - HTTPS with client certificates (user = CN) or bearer tokens; 401 without either,
//    403 for the read-only user on writes (message worded as the API server's RBAC denial);
//  - server-side apply (PATCH application/apply-patch+yaml): create (201) and update (200),
//    per-manager field ownership, 409 conflicts naming the other manager and the fields, force;
//    fields a manager stops applying are removed unless another manager owns them; lists are
//    atomic (a simplification: the real API merges some lists by key);
//  - validation: 422 Status with field causes (names, containers, and an admission policy
//    limiting replicas, like a ValidatingAdmissionPolicy would);
//  - GET, list with label selectors (namespaced and cluster-wide), DELETE with propagation
//    (Background/Foreground delete the dependents, Orphan keeps them), namespaces;
//  - a controller: Deployments/StatefulSets get pods and a ready status after a delay, or pods
//    in CrashLoopBackOff / ImagePullBackOff for images named so; Ingress, Gateway and
//    LoadBalancer Services get status addresses after a delay;
//  - faults on demand: 500, 429 with Retry-After, a stalled response, a body cut mid-way.
// Control endpoints (admin only): POST /_test/faults, POST /_test/config, GET /_test/log,
// GET /_test/objects. Used by tests/deploy/*.test.mjs through startServer().
import https from 'node:https';
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const YAML = require(path.join(here, '../schema/node_modules/yaml'));

// The resources served: [group/version, plural, Kind, namespaced].
const RESOURCES = [
  ['v1', 'namespaces', 'Namespace', false],
  ['v1', 'services', 'Service', true],
  ['v1', 'configmaps', 'ConfigMap', true],
  ['v1', 'secrets', 'Secret', true],
  ['v1', 'pods', 'Pod', true],
  ['v1', 'persistentvolumeclaims', 'PersistentVolumeClaim', true],
  ['apps/v1', 'deployments', 'Deployment', true],
  ['apps/v1', 'statefulsets', 'StatefulSet', true],
  ['autoscaling/v2', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', true],
  ['networking.k8s.io/v1', 'ingresses', 'Ingress', true],
  ['networking.k8s.io/v1', 'networkpolicies', 'NetworkPolicy', true],
  ['gateway.networking.k8s.io/v1', 'gateways', 'Gateway', true],
  ['gateway.networking.k8s.io/v1', 'httproutes', 'HTTPRoute', true],
  ['networking.istio.io/v1', 'gateways', 'Gateway', true],
  ['networking.istio.io/v1', 'virtualservices', 'VirtualService', true],
  ['networking.istio.io/v1', 'destinationrules', 'DestinationRule', true],
  ['traefik.io/v1alpha1', 'middlewares', 'Middleware', true],
  ['projectcontour.io/v1', 'httpproxies', 'HTTPProxy', true],
  ['gateway.envoyproxy.io/v1alpha1', 'backendtrafficpolicies', 'BackendTrafficPolicy', true],
  ['gateway.networking.k8s.io/v1beta1', 'referencegrants', 'ReferenceGrant', true],
  ['policy/v1', 'poddisruptionbudgets', 'PodDisruptionBudget', true],
  ['v1', 'serviceaccounts', 'ServiceAccount', true],
  ['rbac.authorization.k8s.io/v1', 'clusterroles', 'ClusterRole', false],
  // a CRD with an irregular plural and cluster scope: only discovery can tell its path
  ['example.com/v1', 'widgetry', 'Widget', false],
];

const groupOf = (gv) => (gv.includes('/') ? gv.split('/')[0] : '');
const clone = (o) => JSON.parse(JSON.stringify(o));
const eq = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

function status(code, reason, message, details) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: code < 400 ? 'Success' : 'Failure',
    message, reason, details, code };
}

// Leaf paths of an applied configuration, as JSON-encoded key arrays (label keys contain
// dots); lists are atomic.
function leaves(o, prefix = [], out = new Map()) {
  for (const [k, v] of Object.entries(o)) {
    const p = [...prefix, k];
    if (isObj(v) && Object.keys(v).length) leaves(v, p, out);
    else out.set(JSON.stringify(p), v);
  }
  return out;
}
const showPath = (p) => '.' + JSON.parse(p).join('.');
function setPath(o, p, v) {
  const ks = JSON.parse(p);
  let cur = o;
  for (const k of ks.slice(0, -1)) { if (!isObj(cur[k])) cur[k] = {}; cur = cur[k]; }
  cur[ks[ks.length - 1]] = clone(v);
}
function deletePath(o, p) {
  const ks = JSON.parse(p);
  const chain = [o];
  for (const k of ks.slice(0, -1)) { const n = chain[chain.length - 1][k]; if (!isObj(n)) return; chain.push(n); }
  delete chain[chain.length - 1][ks[ks.length - 1]];
  // emptied parents go too, as the API prunes them
  for (let i = chain.length - 1; i > 0 && !Object.keys(chain[i]).length; i--) delete chain[i - 1][ks[i - 1]];
}

function matches(labels, selector) {
  if (!selector) return true;
  return selector.split(',').filter(Boolean).every((term) => {
    const ne = term.indexOf('!=');
    if (ne > 0) return (labels || {})[term.slice(0, ne)] !== term.slice(ne + 2);
    const i = term.indexOf('=');
    if (i < 0) return (labels || {})[term] !== undefined;
    const k = term.slice(0, i), v = term.slice(term[i + 1] === '=' ? i + 2 : i + 1);
    return (labels || {})[k] === v;
  });
}

const DNS1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export class FakeCluster {
  constructor(opts) {
    this.opts = opts;
    this.config = { readyDelayMs: 150, lbDelayMs: 150, maxReplicas: 5, ...(opts.config || {}) };
    this.store = new Map();   // key → { obj, managers: Map(name → config) }
    this.faults = [];
    this.log = [];
    this.rv = 100;
    this.timers = new Set();
    this.sockets = new Set();
    this.create('v1', 'namespaces', null, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
    this.create('v1', 'namespaces', null, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'istio-system' } });
    // The Istio ingress gateway's Service, with its load balancer address.
    this.create('v1', 'services', 'istio-system', { apiVersion: 'v1', kind: 'Service',
      metadata: { name: 'istio-ingressgateway', namespace: 'istio-system', labels: { istio: 'ingressgateway' } },
      spec: { type: 'LoadBalancer', ports: [{ port: 80 }, { port: 443 }] },
      status: { loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } } });
  }

  key(gv, plural, ns, name) { return `${groupOf(gv)}|${plural}|${ns || ''}|${name}`; }
  get(gv, plural, ns, name) { return this.store.get(this.key(gv, plural, ns, name)); }

  create(gv, plural, ns, obj) {
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    obj.metadata = { ...obj.metadata, uid: crypto.randomUUID(), creationTimestamp: now,
      resourceVersion: String(++this.rv), generation: 1 };
    if (ns) obj.metadata.namespace = ns;
    const e = { obj, managers: new Map(), gv, plural };
    this.store.set(this.key(gv, plural, ns, obj.metadata.name), e);
    return e;
  }

  later(ms, fn) {
    if (ms < 0) return;
    const t = setTimeout(() => { this.timers.delete(t); fn(); }, ms);
    this.timers.add(t);
  }

  // The controllers, run after every write.
  reconcile(e) {
    const o = e.obj, kind = o.kind;
    if (kind === 'Deployment' || kind === 'StatefulSet') {
      const gen = o.metadata.generation, uid = o.metadata.uid;
      this.later(this.config.readyDelayMs, () => {
        const cur = this.get(e.gv, e.plural, o.metadata.namespace, o.metadata.name);
        if (!cur || cur.obj.metadata.uid !== uid || cur.obj.metadata.generation !== gen) return;
        this.rollOut(cur.obj);
      });
    } else if (kind === 'Ingress' || kind === 'HTTPProxy' || (kind === 'Gateway' && e.gv.startsWith('gateway.')) ||
               (kind === 'Service' && o.spec?.type === 'LoadBalancer')) {
      const uid = o.metadata.uid;
      this.later(this.config.lbDelayMs, () => {
        const cur = this.get(e.gv, e.plural, o.metadata.namespace, o.metadata.name);
        if (!cur || cur.obj.metadata.uid !== uid) return;
        if (kind === 'Gateway') cur.obj.status = { addresses: [{ type: 'Hostname', value: 'localhost' }] };
        else cur.obj.status = { loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } };
      });
    }
  }

  rollOut(w) {
    const ns = w.metadata.namespace, n = w.spec?.replicas ?? 1;
    const tpl = w.spec?.template || {};
    const hash = crypto.createHash('sha1').update(JSON.stringify(tpl)).digest('hex').slice(0, 10);
    for (const [k, e] of this.store)
      if (e.obj.kind === 'Pod' && e.obj.metadata.ownerReferences?.[0]?.uid === w.metadata.uid &&
          (e.obj.metadata.labels?.['pod-template-hash'] ?? e.obj.metadata.labels?.['controller-revision-hash']) !== hash)
        this.store.delete(k);
    const c0 = tpl.spec?.containers?.[0] || {};
    const image = c0.image || '';
    const crash = image.includes('crashloop'), pull = image.includes('no-such-image');
    for (let i = 0; i < n; i++) {
      const name = `${w.metadata.name}-${hash}-${i}`;
      if (this.get('v1', 'pods', ns, name)) continue;
      const state = crash ? { waiting: { reason: 'CrashLoopBackOff',
        message: `back-off 40s restarting failed container=${c0.name} pod=${name}_${ns}` } }
        : pull ? { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` } }
        : { running: { startedAt: new Date().toISOString() } };
      this.create('v1', 'pods', ns, { apiVersion: 'v1', kind: 'Pod',
        metadata: { name, namespace: ns, labels: { ...(tpl.metadata?.labels || {}),
          [w.kind === 'StatefulSet' ? 'controller-revision-hash' : 'pod-template-hash']: hash },
          ownerReferences: [{ apiVersion: w.apiVersion, kind: w.kind, name: w.metadata.name, uid: w.metadata.uid }] },
        spec: clone(tpl.spec || {}),
        status: { phase: crash || pull ? 'Pending' : 'Running',
          containerStatuses: [{ name: c0.name, image, ready: !(crash || pull), restartCount: crash ? 4 : 0, state }] } });
    }
    const ready = crash || pull ? 0 : n;
    w.status = { observedGeneration: w.metadata.generation, replicas: n, updatedReplicas: n,
      readyReplicas: ready, availableReplicas: ready };
    if (w.kind === 'StatefulSet') Object.assign(w.status, { currentRevision: hash, updateRevision: hash });
  }

  validate(o) {
    const causes = [];
    if (!DNS1123.test(o.metadata?.name || '') || o.metadata.name.length > 253)
      causes.push({ reason: 'FieldValueInvalid', field: 'metadata.name',
        message: `Invalid value: "${o.metadata?.name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'` });
    if (o.kind === 'Deployment' || o.kind === 'StatefulSet') {
      const cs = o.spec?.template?.spec?.containers;
      if (!Array.isArray(cs) || !cs.length)
        causes.push({ reason: 'FieldValueRequired', field: 'spec.template.spec.containers', message: 'Required value' });
      (cs || []).forEach((c, i) => {
        if (!c.image) causes.push({ reason: 'FieldValueRequired', field: `spec.template.spec.containers[${i}].image`, message: 'Required value' });
      });
      const r = o.spec?.replicas;
      if (r !== undefined && r > this.config.maxReplicas)
        causes.push({ reason: 'FieldValueInvalid', field: 'spec.replicas',
          message: `Invalid value: ${r}: must be less than or equal to ${this.config.maxReplicas} (ValidatingAdmissionPolicy 'max-replicas')` });
    }
    return causes;
  }

  // Server-side apply of cfg by manager.
  apply(gv, plural, kind, ns, name, cfg, manager, force) {
    if (!isObj(cfg) || cfg.apiVersion !== gv || cfg.kind !== kind)
      return [400, status(400, 'BadRequest', `apply: body apiVersion/kind ${cfg?.apiVersion}/${cfg?.kind} do not match the URL (${gv}/${kind})`)];
    if (cfg.metadata?.name !== name)
      return [400, status(400, 'BadRequest', `the name of the object (${cfg.metadata?.name}) does not match the name on the URL (${name})`)];
    if (ns && cfg.metadata?.namespace && cfg.metadata.namespace !== ns)
      return [400, status(400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request')];
    if (!manager) return [400, status(400, 'BadRequest', 'PATCH apply requires fieldManager')];
    if (ns && !this.get('v1', 'namespaces', null, ns))
      return [404, status(404, 'NotFound', `namespaces "${ns}" not found`, { name: ns, kind: 'namespaces' })];
    const group = groupOf(gv);
    const e = this.get(gv, plural, ns, name);
    const mine = leaves(cfg);
    for (const p of [['apiVersion'], ['kind'], ['metadata', 'name'], ['metadata', 'namespace']]) mine.delete(JSON.stringify(p));
    if (e) {
      const conflicts = [];
      for (const [m, other] of e.managers) {
        if (m === manager) continue;
        for (const [p, v] of leaves(other)) if (mine.has(p) && !eq(mine.get(p), v)) conflicts.push([m, p]);
      }
      if (conflicts.length && !force) {
        const msg = `Apply failed with ${conflicts.length} conflict${conflicts.length > 1 ? 's' : ''}: ` +
          conflicts.map(([m, p]) => `conflict with "${m}": ${showPath(p)}`).join('\n');
        return [409, status(409, 'Conflict', msg, { causes: conflicts.map(([m, p]) => ({ reason: 'FieldManagerConflict',
          message: `conflict with "${m}"`, field: showPath(p) })) })];
      }
      for (const [m, p] of conflicts) {   // forced: ownership moves to this manager
        const flat = leaves(e.managers.get(m));
        flat.delete(p);
        const rebuilt = {};
        for (const [q, v] of flat) setPath(rebuilt, q, v);
        e.managers.set(m, rebuilt);
      }
    }
    const before = e ? clone(e.obj) : null;
    // The object as it would be: fields this manager applied before and no longer does, and no
    // one else owns, go away; then its fields are set. Validation sees the merged object.
    const next = before ? clone(before) : { apiVersion: gv, kind, metadata: { name } };
    const prev = e?.managers.get(manager) || {};
    const others = new Set();
    for (const [m, c] of e?.managers || []) if (m !== manager) for (const p of leaves(c).keys()) others.add(p);
    for (const p of leaves(prev).keys()) if (!mine.has(p) && !others.has(p)) deletePath(next, p);
    for (const [p, v] of mine) setPath(next, p, v);
    const causes = this.validate(next);
    if (causes.length)
      return [422, status(422, 'Invalid', `${kind}${group ? '.' + group : ''} "${name}" is invalid: ` +
        causes.map((c) => `${c.field}: ${c.message}`).join(', '), { name, group, kind, causes })];
    const entry = e || this.create(gv, plural, ns, next);
    if (e) e.obj = next;
    const own = {};
    for (const [p, v] of mine) setPath(own, p, v);
    entry.managers.set(manager, own);
    const o = entry.obj;
    o.metadata.managedFields = [...entry.managers.keys()].map((m) => ({ manager: m, operation: 'Apply', apiVersion: gv }));
    if (before) {
      const strip = (x) => { const y = clone(x); delete y.status; delete y.metadata.managedFields; delete y.metadata.resourceVersion; return y; };
      if (!eq(before.spec, o.spec)) o.metadata.generation++;
      if (!eq(strip(before), strip(o))) o.metadata.resourceVersion = String(++this.rv);
    }
    this.reconcile(entry);
    const warnings = [];
    if (kind === 'Ingress' && o.metadata.annotations?.['kubernetes.io/ingress.class'])
      warnings.push(`annotation "kubernetes.io/ingress.class" is deprecated, please use 'spec.ingressClassName' instead`);
    return [e ? 200 : 201, o, warnings];
  }

  remove(gv, plural, ns, name, policy) {
    const e = this.get(gv, plural, ns, name);
    if (!e) return false;
    this.store.delete(this.key(gv, plural, ns, name));
    if (policy !== 'Orphan')
      for (const [k, d] of this.store)
        if (d.obj.metadata.ownerReferences?.some((r) => r.uid === e.obj.metadata.uid)) this.store.delete(k);
    return true;
  }

  authorize(req) {
    const cert = req.socket.getPeerCertificate();
    if (req.client.authorized && cert?.subject?.CN) return cert.subject.CN;
    const m = /^Bearer (.+)$/.exec(req.headers.authorization || '');
    if (m && this.opts.tokens[m[1]]) return this.opts.tokens[m[1]];
    return null;
  }

  async handle(req, res) {
    const url = new URL(req.url, 'https://127.0.0.1');
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const body = Buffer.concat(chunks).toString('utf8');
    const send = (code, obj, headers = {}) => {
      this.log.push({ method: req.method, path: url.pathname + url.search, status: code, user });
      res.writeHead(code, { 'Content-Type': 'application/json', ...headers });
      res.end(JSON.stringify(obj));
    };
    const user = this.authorize(req);
    if (!user) return send(401, status(401, 'Unauthorized', 'Unauthorized'));
    if (url.pathname.startsWith('/_test/')) return this.control(req, url, body, send, user);
    const fault = this.faults.find((f) => f.remaining > 0 && (!f.method || f.method === req.method) &&
      (url.pathname + url.search).includes(f.match));
    if (fault) {
      fault.remaining--;
      this.log.push({ method: req.method, path: url.pathname + url.search, status: fault.type, user });
      if (fault.type === 'stall') return;   // never answer: the client's timeout must fire
      if (fault.type === 'drop') {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '4096' });
        res.write('{"kind":"Status","apiVersion":"v1","metad');
        setTimeout(() => res.socket.destroy(), 20);
        return;
      }
      if (fault.type === '429')
        return res.writeHead(429, { 'Content-Type': 'application/json', 'Retry-After': '1' }),
          res.end(JSON.stringify(status(429, 'TooManyRequests', 'the server has received too many requests')));
      res.writeHead(Number(fault.type), { 'Content-Type': 'application/json' });
      return res.end(JSON.stringify(status(Number(fault.type), 'InternalError', 'an error on the server ("etcdserver: leader changed") has prevented the request from succeeding')));
    }
    return this.api(req, url, body, send, user);
  }

  control(req, url, body, send, user) {
    if (user !== 'admin') return send(403, status(403, 'Forbidden', 'test control is for admin'));
    if (url.pathname === '/_test/faults' && req.method === 'POST') {
      const f = JSON.parse(body);
      this.faults.push({ remaining: 1, ...f });
      return send(200, { ok: true });
    }
    if (url.pathname === '/_test/config' && req.method === 'POST') {
      Object.assign(this.config, JSON.parse(body));
      return send(200, this.config);
    }
    if (url.pathname === '/_test/log') return send(200, this.log);
    if (url.pathname === '/_test/objects')
      return send(200, [...this.store.values()].map((e) => ({ ...e.obj, _managers: Object.fromEntries(e.managers) })));
    return send(404, status(404, 'NotFound', 'no such control endpoint'));
  }

  api(req, url, body, send, user) {
    // /api/v1[/namespaces/NS]/PLURAL[/NAME] or /apis/G/V[/namespaces/NS]/PLURAL[/NAME]
    const parts = url.pathname.split('/').filter(Boolean);
    let gv, rest;
    if (parts[0] === 'api') { gv = parts[1]; rest = parts.slice(2); }
    else if (parts[0] === 'apis') { gv = `${parts[1]}/${parts[2]}`; rest = parts.slice(3); }
    else return send(404, status(404, 'NotFound', 'the server could not find the requested resource'));
    if (!rest.length && req.method === 'GET') {   // discovery: the APIResourceList of a group/version
      const rs = RESOURCES.filter(([g]) => g === gv);
      if (!rs.length || (this.opts.missing || []).includes(groupOf(gv)))
        return send(404, status(404, 'NotFound', 'the server could not find the requested resource'));
      return send(200, { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv,
        resources: rs.flatMap(([, p, k, namespaced]) => [
          { name: p, singularName: k.toLowerCase(), namespaced, kind: k, verbs: ['create', 'delete', 'get', 'list', 'patch'] },
          { name: `${p}/status`, singularName: '', namespaced, kind: k, verbs: ['get', 'patch'] }]) });
    }
    let ns = null;
    if (rest[0] === 'namespaces' && rest.length >= 3) { ns = rest[1]; rest = rest.slice(2); }
    const [plural, name] = rest;
    const r = RESOURCES.find(([g, p]) => g === gv && p === plural);
    // a namespaced resource has no cluster path for one object, a cluster-scoped one no namespaced path
    if (!r || rest.length > 2 || (this.opts.missing || []).includes(groupOf(gv)) || (r[3] && !ns && name) || (!r[3] && ns))
      return send(404, status(404, 'NotFound', 'the server could not find the requested resource'));
    const kind = r[2], group = groupOf(gv), resource = group ? `${plural}.${group}` : plural;
    const verb = { GET: name ? 'get' : 'list', PATCH: 'patch', POST: 'create', DELETE: 'delete', PUT: 'update' }[req.method];
    if (user === 'viewer' && verb !== 'get' && verb !== 'list')
      return send(403, status(403, 'Forbidden', `${resource}${name ? ` "${name}"` : ''} is forbidden: User "viewer" cannot ${verb} resource "${plural}" in API group "${group}"${ns ? ` in the namespace "${ns}"` : ''}`,
        { name, group, kind: plural }));
    // "deployer" works in namespaces only, as a namespaced RoleBinding allows
    if (user === 'deployer' && !ns && plural !== 'namespaces')
      return send(403, status(403, 'Forbidden', `${resource} is forbidden: User "deployer" cannot ${verb} resource "${plural}" in API group "${group}" at the cluster scope`,
        { group, kind: plural }));
    const notFound = () => send(404, status(404, 'NotFound', `${resource} "${name}" not found`, { name, group, kind: plural }));
    if (req.method === 'GET' && name) {
      const e = this.get(gv, plural, ns, name);
      return e ? send(200, e.obj) : notFound();
    }
    if (req.method === 'GET') {
      const sel = url.searchParams.get('labelSelector');
      const items = [...this.store.values()].filter((e) => groupOf(e.gv) === group && e.plural === plural &&
        (!ns || e.obj.metadata.namespace === ns) && matches(e.obj.metadata.labels, sel))
        .map((e) => { const o = clone(e.obj); delete o.kind; delete o.apiVersion; return o; });
      return send(200, { kind: `${kind}List`, apiVersion: gv, metadata: { resourceVersion: String(this.rv) }, items });
    }
    if (req.method === 'PATCH') {
      if (req.headers['content-type'] !== 'application/apply-patch+yaml')
        return send(415, status(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/apply-patch+yaml`));
      let cfg;
      try { cfg = YAML.parse(body); } catch (err) { return send(400, status(400, 'BadRequest', `error decoding YAML: ${err.message}`)); }
      const force = url.searchParams.get('force') === 'true';
      const [code, out, warnings = []] = this.apply(gv, plural, kind, ns, name, cfg, url.searchParams.get('fieldManager'), force);
      // the API server's Warning headers: 299 - "text" (quotes in the text escaped)
      return send(code, out, warnings.length ? { Warning: warnings.map((w) => `299 - "${w.replace(/"/g, '\\"')}"`) } : {});
    }
    if (req.method === 'POST' && !name) {
      let obj;
      try { obj = JSON.parse(body); } catch { return send(400, status(400, 'BadRequest', 'body is not JSON')); }
      const nm = obj?.metadata?.name;
      if (this.get(gv, plural, ns, nm))
        return send(409, status(409, 'AlreadyExists', `${resource} "${nm}" already exists`, { name: nm, group, kind: plural }));
      const e = this.create(gv, plural, ns, obj);
      this.reconcile(e);
      return send(201, e.obj);
    }
    if (req.method === 'DELETE' && name) {
      let policy = url.searchParams.get('propagationPolicy');
      try { policy = JSON.parse(body || '{}').propagationPolicy || policy; } catch { /* no options */ }
      if (!this.remove(gv, plural, ns, name, policy)) return notFound();
      return send(200, status(200, undefined, undefined, { name, group, kind: plural }));
    }
    return send(405, status(405, 'MethodNotAllowed', `${req.method} is not supported here`));
  }
}

// Starts a server on 127.0.0.1 (port 0: any free port). tls: {key, cert, ca} PEM strings.
export async function startServer({ tls, tokens, config, missing }) {
  const cluster = new FakeCluster({ tokens, config, missing });
  const server = https.createServer({ key: tls.key, cert: tls.cert, ca: tls.ca, requestCert: true, rejectUnauthorized: false },
    (req, res) => cluster.handle(req, res).catch((err) => { res.writeHead(500); res.end(String(err)); }));
  server.on('connection', (s) => { cluster.sockets.add(s); s.on('close', () => cluster.sockets.delete(s)); });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  cluster.port = server.address().port;
  cluster.close = () => new Promise((ok) => {
    for (const t of cluster.timers) clearTimeout(t);
    for (const s of cluster.sockets) s.destroy();
    server.close(ok);
  });
  return cluster;
}
