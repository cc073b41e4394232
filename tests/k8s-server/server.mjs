// A Kubernetes API test server for hyscale's deploy tests and for kubectl, on 127.0.0.1 only,
// in memory. HTTP/2 and HTTP/1.1 over TLS (client certificates: user = CN; bearer tokens).
// What it implements, and where it still differs from a real API server: README.md here.
// Control hooks for tests (faults, HPA load, stalls, crash loops, deletion holds, 422s): README.md.
import http2 from 'node:http2';
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { RESOURCES, groupOf, findResource, byKind, groups, resourceList } from './resources.mjs';
import { TYPES, unknownFields, typeErrors, pruneUnknown } from './schema.mjs';
import { clone, isObj, deepEqual, fieldSet, valueAt, removePath, merge, toFieldsV1, strategicMerge, jsonMerge } from './apply.mjs';
import { applyDefaults, validate } from './defaults.mjs';
import { openapiRoot, openapiDoc } from './openapi.mjs';
import { table } from './table.mjs';
import { Controllers } from './controllers.mjs';
import { decodeProtobuf } from './proto.mjs';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const YAML = require(path.join(here, '../schema/node_modules/yaml'));

export const KUBE_VERSION = { major: '1', minor: '32', gitVersion: 'v1.32.0-hyscale-test', gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean', buildDate: '2024-12-11T00:00:00Z', goVersion: 'go1.23.4', compiler: 'gc', platform: 'linux/amd64' };

export function status(code, reason, message, details) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: code < 400 ? 'Success' : 'Failure',
    ...(message !== undefined ? { message } : {}), ...(reason !== undefined ? { reason } : {}), ...(details ? { details } : {}), code };
}
const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const STATUSLESS = new Set(['ConfigMap', 'Secret', 'ServiceAccount', 'ClusterRole', 'ControllerRevision', 'Middleware', 'Widget', 'ReferenceGrant', 'BackendTrafficPolicy']);

// label selectors: a=b, a==b, a!=b, a, !a, a in (x,y), a notin (x,y)
export function parseSelector(sel) {
  const terms = [];
  if (!sel) return terms;
  for (const m of sel.matchAll(/\s*(!?)([^,=!()\s]+)\s*(?:(==|=|!=)\s*([^,\s]*)|\s+(in|notin)\s*\(([^)]*)\))?\s*(?:,|$)/g)) {
    if (!m[0].trim()) continue;
    const [, neg, key, op, val, setop, set] = m;
    terms.push({ key, op: neg ? '!' : op ? (op === '!=' ? '!=' : '=') : setop || 'exists', val, set: set?.split(',').map((s) => s.trim()) });
  }
  return terms;
}
export function labelsMatch(labels, terms) {
  labels ||= {};
  return terms.every((t) => ({ '=': () => labels[t.key] === t.val, '!=': () => labels[t.key] !== t.val,
    exists: () => t.key in labels, '!': () => !(t.key in labels), in: () => t.set.includes(labels[t.key]),
    notin: () => !t.set.includes(labels[t.key]) }[t.op]()));
}
const FIELDS = { 'metadata.name': (o) => o.metadata.name, 'metadata.namespace': (o) => o.metadata.namespace || '',
  'status.phase': (o) => o.status?.phase || '', 'spec.nodeName': (o) => o.spec?.nodeName || '',
  'spec.restartPolicy': (o) => o.spec?.restartPolicy || '', 'spec.schedulerName': (o) => o.spec?.schedulerName || '',
  'spec.serviceAccountName': (o) => o.spec?.serviceAccountName || '', 'status.podIP': (o) => o.status?.podIP || '',
  'type': (o) => o.type || '', 'spec.clusterIP': (o) => o.spec?.clusterIP || '', 'status.successful': () => '' };
function parseFieldSelector(sel, kind) {
  const terms = [];
  for (const part of (sel || '').split(',').filter(Boolean)) {
    const m = /^([^!=]+)(==|=|!=)(.*)$/.exec(part);
    if (!m || !FIELDS[m[1]] || (m[1].startsWith('spec.') || m[1].startsWith('status.')) && kind !== 'Pod' && !(kind === 'Service' && m[1] === 'spec.clusterIP') ||
        (m[1] === 'type' && kind !== 'Secret'))
      return { error: `"${m ? m[1] : part}" is not a known field selector: only "metadata.name", "metadata.namespace"` };
    terms.push({ get: FIELDS[m[1]], neg: m[2] === '!=', val: m[3] });
  }
  return { terms };
}
const fieldsMatch = (o, terms) => terms.every((t) => (t.get(o) === t.val) !== t.neg);

export class FakeCluster {
  constructor(opts) {
    this.opts = opts;
    this.config = { readyDelayMs: 150, lbDelayMs: 150, maxReplicas: 5, tickMs: 20, secondsMs: 1000, transientMs: 600,
      deletionDelayMs: 0, namespaceDeleteMs: 50, podStepMs: 0, ...(opts.config || {}) };
    this.store = new Map();   // key → { obj, managers: Map(entryKey → {manager, operation, subresource, apiVersion, time, set}), gv, plural }
    this.faults = [];
    this.log = [];
    this.rv = 100;
    this.events = [];         // watch history: {rv, type, entry snapshot}
    this.watchers = new Set();
    this.timers = new Set();
    this.sockets = new Set();
    this.ipNext = 10; this.nodePortNext = 30000;
    this.holds = []; this.rejects = []; this.podRules = []; this.stalls = new Set(); this.hpaLoads = new Map();
    this.controllers = new Controllers(this);
    this.hooks = this.makeHooks();
    for (const ns of ['default', 'kube-system', 'kube-public', 'istio-system'])
      this.create('v1', 'namespaces', null, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    this.create('v1', 'services', 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'kubernetes', namespace: 'default',
      labels: { component: 'apiserver', provider: 'kubernetes' } }, spec: { ports: [{ name: 'https', port: 443, targetPort: 6443 }] } });
    // The Istio ingress gateway's Service, with its load balancer address.
    const gw = this.create('v1', 'services', 'istio-system', { apiVersion: 'v1', kind: 'Service',
      metadata: { name: 'istio-ingressgateway', namespace: 'istio-system', labels: { istio: 'ingressgateway' } },
      spec: { type: 'LoadBalancer', ports: [{ port: 80 }, { port: 443 }] } });
    gw.obj.status = { loadBalancer: { ingress: [{ ip: '127.0.0.1', ipMode: 'VIP' }] } };
  }

  alloc() {
    return { clusterIP: () => `10.96.${Math.floor(this.ipNext / 250)}.${(this.ipNext++ % 250) + 1}`,
      nodePort: () => this.nodePortNext++ };
  }
  key(gv, plural, ns, name) { return `${groupOf(gv)}|${plural}|${ns || ''}|${name}`; }
  get(gv, plural, ns, name) { return this.store.get(this.key(gv, plural, ns, name)); }
  entries(kind, ns) { return [...this.store.values()].filter((e) => e.obj.kind === kind && (ns === undefined || e.obj.metadata.namespace === ns)); }
  schemaOf(gv, plural) { const r = findResource(gv, plural); return r?.schema ? r.schema : 'any'; }

  // Stores a new object as is (tests and controllers), with the metadata the server sets.
  create(gv, plural, ns, obj, manager) {
    obj = clone(obj);
    obj.metadata = { ...obj.metadata, uid: crypto.randomUUID(), resourceVersion: String(++this.rv),
      creationTimestamp: now(), ...(STATUSLESS.has(obj.kind) || obj.kind === 'Namespace' ? {} : { generation: 1 }) };
    if (ns) obj.metadata.namespace = ns;
    const r = findResource(gv, plural);
    if (r?.schema) applyDefaults(obj, this.alloc());
    const e = { obj, managers: new Map(), gv, plural };
    if (manager) this.own(e, null, manager, 'Update', undefined);
    this.store.set(this.key(gv, plural, ns, obj.metadata.name), e);
    this.emit('ADDED', e);
    this.controllers.kick();
    return e;
  }

  emit(type, e) {
    const ev = { rv: Number(e.obj.metadata.resourceVersion), type, gv: e.gv, plural: e.plural, obj: clone(e.obj) };
    if (type === 'DELETED') ev.rv = ++this.rv, ev.obj.metadata.resourceVersion = String(ev.rv);
    this.events.push(ev);
    if (this.events.length > 20000) this.events.splice(0, 5000);
    for (const w of this.watchers) w.offer(ev);
  }

  // Managed fields: an Update by `manager` owns what it changed; others lose those fields.
  own(e, before, manager, operation, subresource, applySet) {
    const node = this.schemaOf(e.gv, e.plural);
    const strip = (o) => { if (!o) return {}; const c = clone(o); delete c.apiVersion; delete c.kind; if (c.metadata) { for (const k of ['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'selfLink']) delete c.metadata[k]; if (!Object.keys(c.metadata).length) delete c.metadata; } return c; };
    const after = strip(e.obj), prev = strip(before);
    const id = `${manager}|${operation}|${subresource || ''}`;
    let changed;
    if (applySet) changed = applySet;
    else {
      changed = new Set();
      for (const p of fieldSet(after, node)) { const path = JSON.parse(p); if (!deepEqual(valueAt(after, path, node), valueAt(prev, path, node))) changed.add(p); }
    }
    const live = fieldSet(after, node);
    const cur = e.managers.get(id);
    let touched = false;
    for (const [k, m] of e.managers) {
      if (k === id) continue;
      const n = m.set.size;
      for (const p of m.set) if ((!applySet && changed.has(p)) || !live.has(p) && !isPrefixOfAny(p, live)) m.set.delete(p);
      if (m.set.size !== n) { touched = true; m.time = now(); }
      if (!m.set.size) e.managers.delete(k);
    }
    const set = applySet ? new Set(applySet) : new Set([...(cur?.set || []), ...changed].filter((p) => live.has(p)));
    const same = cur && cur.set.size === set.size && [...set].every((p) => cur.set.has(p));
    if (set.size && !same) { e.managers.set(id, { manager, operation, subresource, apiVersion: e.gv, time: now(), set }); touched = true; }
    else if (!set.size && cur) { e.managers.delete(id); touched = true; }
    this.renderManaged(e);
    return touched;
  }
  renderManaged(e) {
    const mf = [...e.managers.values()].map((m) => ({ manager: m.manager, operation: m.operation, apiVersion: m.apiVersion, time: m.time,
      fieldsType: 'FieldsV1', fieldsV1: toFieldsV1(m.set), ...(m.subresource ? { subresource: m.subresource } : {}) }));
    if (mf.length) e.obj.metadata.managedFields = mf; else delete e.obj.metadata.managedFields;
  }

  // Every write of an existing object ends here: defaults, validation, generation, resourceVersion.
  // Returns [code, body] or {entry, changed}.
  commit(e, next, { manager, operation = 'Update', subresource, dryRun, applySet, create, gv, plural, ns } = {}) {
    const r = findResource(gv || e.gv, plural || e.plural);
    const kind = r.kind, group = groupOf(r.gv);
    const old = e ? e.obj : null;
    next = clone(next);
    next.apiVersion = r.gv; next.kind = kind;
    next.metadata ||= {};
    // status is written only through /status; the main resource keeps it (and the other way round)
    if (!create && old) {
      if (subresource === 'status') { const s = next.status; next = clone(old); if (s !== undefined) next.status = s; else delete next.status; }
      else if (subresource !== 'scale') { if (old.status !== undefined) next.status = clone(old.status); else delete next.status; }
      for (const k of ['uid', 'creationTimestamp', 'generation', 'deletionTimestamp', 'deletionGracePeriodSeconds']) if (old.metadata[k] !== undefined) next.metadata[k] = old.metadata[k];
      next.metadata.name = old.metadata.name;
      if (old.metadata.namespace) next.metadata.namespace = old.metadata.namespace;
    }
    if (create && ns) next.metadata.namespace = ns;
    if (create && r.kind !== 'Namespace' && !STATUSLESS.has(kind) && r.schema) delete next.status;
    if (r.schema) applyDefaults(next, this.alloc());
    const causes = r.schema ? validate(next, old, this.config) : validateCrd(next);
    const rej = this.rejects.find((x) => x.remaining > 0 && x.kind === kind && x.name === next.metadata.name && (!x.namespace || x.namespace === next.metadata.namespace));
    if (rej) { rej.remaining--; causes.push({ reason: 'FieldValueInvalid', field: rej.field || 'spec', message: rej.message || 'Invalid value: rejected by the test hook' }); }
    if (causes.length)
      return [422, status(422, 'Invalid', `${kind}${group ? '.' + group : ''} "${next.metadata.name}" is invalid: ` +
        causes.map((c) => `${c.field}: ${c.message}`).join(', '), { name: next.metadata.name, group, kind, causes })];
    if (create) {
      if (dryRun) { next.metadata = { ...next.metadata, uid: crypto.randomUUID(), creationTimestamp: now(), ...(STATUSLESS.has(kind) || kind === 'Namespace' ? {} : { generation: 1 }) }; return { entry: { obj: next }, changed: true }; }
      next.metadata = { ...next.metadata, uid: crypto.randomUUID(), resourceVersion: String(++this.rv), creationTimestamp: now(),
        ...(STATUSLESS.has(kind) || kind === 'Namespace' ? {} : { generation: 1 }) };
      delete next.metadata.managedFields;
      const entry = { obj: next, managers: new Map(), gv: r.gv, plural: r.plural };
      this.own(entry, null, manager, operation, undefined, applySet);
      this.store.set(this.key(r.gv, r.plural, ns, next.metadata.name), entry);
      this.emit('ADDED', entry);
      this.controllers.kick();
      return { entry, changed: true };
    }
    const specOf = (o) => { const c = clone(o); delete c.metadata; delete c.status; return c; };
    if (!STATUSLESS.has(kind) && kind !== 'Namespace' && !deepEqual(specOf(old), specOf(next))) next.metadata.generation = (old.metadata.generation || 0) + 1;
    const work = { obj: next, gv: e.gv, plural: e.plural,
      managers: dryRun ? new Map([...e.managers].map(([k, m]) => [k, { ...m, set: new Set(m.set) }])) : e.managers };
    next.metadata.resourceVersion = old.metadata.resourceVersion;
    const beforeManaged = JSON.stringify(old.metadata.managedFields || []);
    this.own(work, old, manager, operation, subresource, applySet);
    const strip = (o) => { const c = clone(o); delete c.metadata.managedFields; delete c.metadata.resourceVersion; return c; };
    const changed = !deepEqual(strip(old), strip(next)) || JSON.stringify(next.metadata.managedFields || []) !== beforeManaged;
    if (!changed) { if (!dryRun) e.obj.metadata.managedFields = old.metadata.managedFields; return { entry: dryRun ? work : e, changed: false }; }
    if (dryRun) return { entry: work, changed: true };
    next.metadata.resourceVersion = String(++this.rv);
    e.obj = next;
    this.emit('MODIFIED', e);
    // the last finalizer gone from a deleted object: it goes
    if (next.metadata.deletionTimestamp && !(next.metadata.finalizers || []).length) this.finalize(e);
    this.controllers.kick();
    return { entry: e, changed: true };
  }

  // Server-side apply of cfg by manager (kept as the first server's signature for tests).
  apply(gv, plural, kind, ns, name, cfg, manager, force, { dryRun = false, fieldValidation = 'Strict', warnings = [] } = {}) {
    const group = groupOf(gv);
    if (!isObj(cfg) || cfg.apiVersion !== gv || cfg.kind !== kind)
      return [400, status(400, 'BadRequest', `the API version in the data (${cfg?.apiVersion}) does not match the expected API version (${gv})`)];
    if (cfg.metadata?.name !== name)
      return [400, status(400, 'BadRequest', `the name of the object (${cfg.metadata?.name}) does not match the name on the URL (${name})`)];
    if (ns && cfg.metadata?.namespace && cfg.metadata.namespace !== ns)
      return [400, status(400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request')];
    if (!manager) return [400, status(400, 'BadRequest', 'PATCH, application/apply-patch+yaml: fieldManager is required for apply requests')];
    const nsErr = this.namespaceCheck(ns, true);
    if (nsErr) return nsErr;
    const node = this.schemaOf(gv, plural);
    const fv = this.fieldCheck(cfg, node, fieldValidation, kind, name, group, warnings);
    if (fv) return fv;
    const e = this.get(gv, plural, ns, name);
    const applied = clone(cfg);
    delete applied.status;
    for (const k of ['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'selfLink', 'deletionTimestamp']) delete applied.metadata[k];
    const body = { ...applied };
    delete body.apiVersion; delete body.kind;
    if (!Object.keys(body.metadata).length) delete body.metadata;
    const mine = fieldSet(body, node);
    const id = `${manager}|Apply|`;
    let saved = null;
    if (e) {
      if (e.obj.metadata.deletionTimestamp && !(e.obj.metadata.finalizers || []).length)
        return [409, status(409, 'Conflict', `Operation cannot be fulfilled on ${plural}${group ? '.' + group : ''} "${name}": object is being deleted`)];
      const conflicts = [];
      for (const [k, m] of e.managers) {
        if (k === id) continue;
        for (const p of m.set) {
          if (!mine.has(p)) continue;
          const path = JSON.parse(p);
          const v = valueAt(body, path, node);
          if (isObj(v) && path[path.length - 1].startsWith('k:')) continue;   // a list item itself: shared, no conflict
          // named as the API server prints a manager: Update managers with their subresource and version
          const who = `"${m.manager}"${m.subresource ? ` with subresource "${m.subresource}"` : ''}${m.operation === 'Update' ? ` using ${m.apiVersion}` : ''}`;
          if (!deepEqual(v, valueAt(e.obj, path, node))) conflicts.push([who, path]);
        }
      }
      const show = (path) => path.map((el) => (el.startsWith('f:') ? `.${el.slice(2)}` : `[${el.startsWith('k:') ? el.slice(2).replace(/^\{|\}$/g, '').replace(/"([^"]+)":/g, '$1=') : el.slice(2)}]`)).join('');
      if (conflicts.length && !force) {
        const msg = conflicts.length === 1 ? `Apply failed with 1 conflict: conflict with ${conflicts[0][0]}: ${show(conflicts[0][1])}`
          : `Apply failed with ${conflicts.length} conflicts: ` + conflicts.map(([m, p]) => `conflict with ${m}: ${show(p)}`).join('\n');
        return [409, status(409, 'Conflict', msg, { causes: conflicts.map(([m, p]) => ({ reason: 'FieldManagerConflict', message: `conflict with ${m}`, field: show(p) })) })];
      }
      if (force && !dryRun && conflicts.length) {
        saved = new Map([...e.managers].map(([k, m]) => [k, { ...m, set: new Set(m.set) }]));
        for (const [, m] of e.managers) for (const [, p] of conflicts) if (m.set.delete(JSON.stringify(p))) m.time = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      }
    }
    let next;
    if (e) {
      const live = clone(e.obj);
      next = merge(live, applied, node === 'any' ? 'any' : { apiVersion: 's', kind: 's', ...TYPES[node] });
      // fields this manager applied before and no longer does, owned by nobody else, go
      const prev = e.managers.get(id)?.set || new Set();
      const others = new Set();
      for (const [k, m] of e.managers) if (k !== id) for (const p of m.set) others.add(p);
      const gone = [...prev].filter((p) => !mine.has(p) && !others.has(p) && !isPrefixOfAny(p, others)).map((p) => JSON.parse(p))
        .sort((a, b) => b.length - a.length);
      for (const p of gone) removePath(next, p, node);
    } else {
      next = { ...clone(applied), apiVersion: gv, kind, metadata: { ...applied.metadata, name, ...(ns ? { namespace: ns } : {}) } };
    }
    const res = this.commit(e, next, { manager, operation: 'Apply', dryRun, applySet: mine, create: !e, gv, plural, ns });
    if (Array.isArray(res) && saved) e.managers = saved;
    if (Array.isArray(res)) return res;
    const o = res.entry.obj;
    if (kind === 'Ingress' && o.metadata.annotations?.['kubernetes.io/ingress.class'])
      warnings.push(`annotation "kubernetes.io/ingress.class" is deprecated, please use 'spec.ingressClassName' instead`);
    return [e ? 200 : 201, o, warnings];
  }

  // A test applies as another field manager (e.g. kubectl, an operator).
  applyAs(manager, obj, { force = false } = {}) {
    const r = byKind(obj.apiVersion, obj.kind);
    return this.apply(r.gv, r.plural, r.kind, r.namespaced ? obj.metadata.namespace || 'default' : null, obj.metadata.name, obj, manager, force);
  }

  // unknown fields: Strict → 400 (the real server's BadRequest with strict decoding errors), Warn → warnings
  fieldCheck(obj, node, mode, kind, name, group, warnings) {
    if (node === 'any') return null;
    const root = { apiVersion: 's', kind: 's', ...TYPES[node] };
    const unknown = unknownFields(obj, root).map((p) => `unknown field "${p}"`);
    const types = typeErrors(obj, root);
    if (types.length)
      return [422, status(422, 'Invalid', `${kind}${group ? '.' + group : ''} "${name}" is invalid: ` + types.map((c) => c.message).join(', '),
        { name, group, kind, causes: types.map((c) => ({ reason: 'FieldValueTypeInvalid', field: c.field, message: c.message })) })];
    if (!unknown.length) return null;
    if (mode !== 'Strict') pruneUnknown(obj, root);
    if (mode === 'Ignore') return null;
    if (mode === 'Strict')
      return [400, status(400, 'BadRequest', `${kind} in version "${node === 'any' ? '' : this.versionOfKind(kind)}" cannot be handled as a ${kind}: strict decoding error: ${unknown.join(', ')}`)];
    warnings.push(...unknown);
    return null;
  }
  versionOfKind(kind) { return (RESOURCES.find((x) => x.kind === kind)?.gv || 'v1').split('/').pop(); }

  namespaceCheck(ns, creating) {
    if (!ns) return null;
    const n = this.get('v1', 'namespaces', null, ns);
    if (!n) return [404, status(404, 'NotFound', `namespaces "${ns}" not found`, { name: ns, kind: 'namespaces' })];
    if (creating && n.obj.status?.phase === 'Terminating')
      return [403, status(403, 'Forbidden', `unable to create new content in namespace ${ns} because it is being terminated`,
        { name: ns, kind: 'namespaces', causes: [{ reason: 'NamespaceTerminating', message: `namespace ${ns} is being terminated`, field: 'metadata.namespace' }] })];
    return null;
  }

  // Deletion: finalizers and test holds delay it (deletionTimestamp set); propagation to dependents.
  remove(gv, plural, ns, name, policy, { dryRun = false } = {}) {
    const e = this.get(gv, plural, ns, name);
    if (!e) return false;
    if (dryRun) return { obj: e.obj, pending: false };
    const o = e.obj;
    if (o.metadata.deletionTimestamp) return { obj: o, pending: true };
    policy ||= o.kind === 'ReplicaSet' || o.kind === 'Deployment' || o.kind === 'StatefulSet' ? 'Background' : 'Background';
    const hold = this.holds.find((h) => h.remaining > 0 && (!h.kind || h.kind === o.kind) && (!h.name || h.name === o.metadata.name) &&
      (!h.namespace || h.namespace === o.metadata.namespace));
    const delay = hold ? hold.ms : this.config.deletionDelayMs;
    if (hold) hold.remaining--;
    const fins = [...(o.metadata.finalizers || [])];
    if (policy === 'Foreground') fins.push('foregroundDeletion');
    if (policy === 'Orphan') fins.push('orphan');
    if (o.kind === 'Namespace') {
      o.metadata.deletionTimestamp = now(); o.metadata.deletionGracePeriodSeconds = 0;
      o.status = { ...o.status, phase: 'Terminating' };
      o.metadata.resourceVersion = String(++this.rv);
      this.emit('MODIFIED', e);
      this.controllers.terminateNamespace(e);
      return { obj: o, pending: true };
    }
    if (delay > 0 || fins.length) {
      o.metadata.deletionTimestamp = now(); o.metadata.deletionGracePeriodSeconds = 0;
      if (delay > 0) fins.push('hyscale.test/hold');
      o.metadata.finalizers = [...new Set(fins)];
      o.metadata.resourceVersion = String(++this.rv);
      this.emit('MODIFIED', e);
      if (policy === 'Orphan') this.orphan(e);
      if (policy === 'Foreground') this.controllers.foreground(e);
      if (delay > 0) this.later(delay, () => this.dropFinalizer(e, 'hyscale.test/hold'));
      return { obj: o, pending: true };
    }
    this.finalize(e);
    return { obj: o, pending: false };
  }
  dropFinalizer(e, f) {
    const cur = this.store.get(this.key(e.gv, e.plural, e.obj.metadata.namespace, e.obj.metadata.name));
    if (!cur || cur.obj.metadata.uid !== e.obj.metadata.uid) return;
    cur.obj.metadata.finalizers = (cur.obj.metadata.finalizers || []).filter((x) => x !== f);
    if (!cur.obj.metadata.finalizers.length) delete cur.obj.metadata.finalizers;
    cur.obj.metadata.resourceVersion = String(++this.rv);
    if (!cur.obj.metadata.finalizers) this.finalize(cur); else this.emit('MODIFIED', cur);
  }
  orphan(e) {
    for (const d of this.store.values()) {
      const refs = d.obj.metadata.ownerReferences;
      if (refs?.some((r) => r.uid === e.obj.metadata.uid)) {
        d.obj.metadata.ownerReferences = refs.filter((r) => r.uid !== e.obj.metadata.uid);
        if (!d.obj.metadata.ownerReferences.length) delete d.obj.metadata.ownerReferences;
        d.obj.metadata.resourceVersion = String(++this.rv);
        this.emit('MODIFIED', d);
      }
    }
    this.dropFinalizer(e, 'orphan');
  }
  // Gone from the store; the garbage collector deletes the dependents (background propagation).
  finalize(e) {
    const k = this.key(e.gv, e.plural, e.obj.metadata.namespace, e.obj.metadata.name);
    if (this.store.get(k) !== e) return;
    this.store.delete(k);
    this.emit('DELETED', e);
    for (const d of [...this.store.values()])
      if (d.obj.metadata.ownerReferences?.some((r) => r.uid === e.obj.metadata.uid))
        this.remove(d.gv, d.plural, d.obj.metadata.namespace, d.obj.metadata.name, 'Background');
    this.controllers.kick();
  }

  later(ms, fn) {
    if (ms < 0) return null;
    const t = setTimeout(() => { this.timers.delete(t); fn(); }, ms);
    this.timers.add(t);
    return t;
  }

  authorize(req) {
    const sock = req.socket;
    const cert = sock.getPeerCertificate?.();
    if (sock.authorized && cert?.subject?.CN) return cert.subject.CN;
    const m = /^Bearer (.+)$/.exec(req.headers.authorization || '');
    if (m && this.opts.tokens[m[1]]) return this.opts.tokens[m[1]];
    return null;
  }

  async handle(req, res) {
    const url = new URL(req.url, 'https://127.0.0.1');
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const raw = Buffer.concat(chunks);
    const body = raw.toString('utf8');
    const proto = req.httpVersion === '2.0' ? 'HTTP/2' : 'HTTP/1.1';
    const user = this.authorize(req);
    const send = (code, obj, headers = {}) => {
      this.log.push({ method: req.method, path: url.pathname + url.search, status: code, user, protocol: proto, agent: req.headers['user-agent'] });
      res.writeHead(code, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', ...headers });
      res.end(JSON.stringify(obj));
    };
    if (!user) return send(401, status(401, 'Unauthorized', 'Unauthorized'));
    if (url.pathname.startsWith('/_test/')) return this.control(req, url, body, send, user);
    const fault = this.faults.find((f) => f.remaining > 0 && (!f.method || f.method === req.method) &&
      (url.pathname + url.search).includes(f.match));
    if (fault) {
      fault.remaining--;
      this.log.push({ method: req.method, path: url.pathname + url.search, status: fault.type, user, protocol: proto });
      if (fault.type === 'stall') return;   // never answer: the client's timeout must fire
      if (fault.type === 'drop') {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '4096' });
        res.write('{"kind":"Status","apiVersion":"v1","metad');
        // HTTP/1.1: the connection goes; HTTP/2: the whole connection too (GOAWAY-less), as a crashed server
        setTimeout(() => (res.stream ? res.stream.session.destroy() : res.socket.destroy()), 20);
        return;
      }
      if (fault.type === '429')
        return res.writeHead(429, { 'Content-Type': 'application/json', 'Retry-After': '1' }),
          res.end(JSON.stringify(status(429, 'TooManyRequests', 'the server has received too many requests')));
      res.writeHead(Number(fault.type), { 'Content-Type': 'application/json' });
      return res.end(JSON.stringify(status(Number(fault.type), Number(fault.type) === 503 ? 'ServiceUnavailable' : 'InternalError',
        'an error on the server ("etcdserver: leader changed") has prevented the request from succeeding')));
    }
    try {
      return this.route(req, res, url, body, send, user, raw);
    } catch (err) {
      return send(500, status(500, 'InternalError', `test server: ${err.stack}`));
    }
  }

  route(req, res, url, body, send, user, raw) {
    const p = url.pathname.replace(/\/+$/, '') || '/';
    if (req.method === 'GET') {
      if (p === '/version') return send(200, KUBE_VERSION);
      if (p === '/healthz' || p === '/livez' || p === '/readyz') { res.writeHead(200, { 'Content-Type': 'text/plain' }); return res.end('ok'); }
      if (p === '/api') return send(200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: `127.0.0.1:${this.port}` }] });
      if (p === '/apis') return send(200, { kind: 'APIGroupList', apiVersion: 'v1', groups: groups(this.opts.missing || []) });
      if (p === '/openapi/v3') return send(200, openapiRoot(this.opts.missing || []));
      if (p.startsWith('/openapi/v3/')) {
        const gvPath = p.slice('/openapi/v3/'.length);
        const doc = openapiDoc(gvPath, this.opts.missing || []);
        return doc ? send(200, doc, { Etag: `"${crypto.createHash('sha1').update(gvPath).digest('hex')}"` })
          : send(404, status(404, 'NotFound', 'the server could not find the requested resource'));
      }
      if (p === '/openapi/v2') return send(404, status(404, 'NotFound', 'the server could not find the requested resource'));
      const g = /^\/apis\/([^/]+)$/.exec(p);
      if (g) {
        const gr = groups(this.opts.missing || []).find((x) => x.name === g[1]);
        return gr ? send(200, { kind: 'APIGroup', apiVersion: 'v1', ...gr }) : send(404, status(404, 'NotFound', 'the server could not find the requested resource'));
      }
    }
    return this.api(req, res, url, body, send, user, raw);
  }

  control(req, url, body, send, user) {
    if (user !== 'admin') return send(403, status(403, 'Forbidden', 'test control is for admin'));
    const arg = body ? JSON.parse(body) : {};
    const hook = { '/_test/hpa': 'hpaLoad', '/_test/stall': 'stall', '/_test/expire-deadline': 'expireDeadline', '/_test/pods': 'pods',
      '/_test/hold-deletion': 'holdDeletion', '/_test/release-deletion': 'releaseDeletion', '/_test/reject': 'reject', '/_test/close-watches': 'closeWatches' }[url.pathname];
    if (hook && req.method === 'POST') return send(200, this.hooks[hook](arg) ?? { ok: true });
    if (url.pathname === '/_test/faults' && req.method === 'POST') { this.faults.push({ remaining: 1, ...arg }); return send(200, { ok: true }); }
    if (url.pathname === '/_test/config' && req.method === 'POST') { Object.assign(this.config, arg); return send(200, this.config); }
    if (url.pathname === '/_test/log') return send(200, this.log);
    if (url.pathname === '/_test/objects')
      return send(200, [...this.store.values()].map((e) => e.obj));
    return send(404, status(404, 'NotFound', 'no such control endpoint'));
  }

  makeHooks() {
    return {
      hpaLoad: ({ namespace = 'default', name, replicas }) => { this.hpaLoads.set(`${namespace}/${name}`, replicas); this.controllers.kick(); },
      stall: ({ namespace = 'default', name, on = true }) => { const k = `${namespace}/${name}`; if (on) this.stalls.add(k); else this.stalls.delete(k); this.controllers.kick(); },
      expireDeadline: ({ namespace = 'default', name }) => this.controllers.expireDeadline(namespace, name),
      pods: (rule) => { this.podRules.push({ at: Date.now(), ...rule }); this.controllers.kick(); },
      holdDeletion: (h) => { this.holds.push({ remaining: Infinity, ...h }); },
      // ends holds now: the held objects (matching kind/namespace/name) go, and no new holds apply
      releaseDeletion: (h = {}) => {
        const match = (x) => (!h.kind || h.kind === x.kind) && (!h.namespace || h.namespace === x.namespace) && (!h.name || h.name === x.name);
        this.holds = this.holds.filter((x) => !match(x));
        for (const e of [...this.store.values()])
          if (e.obj.metadata.finalizers?.includes('hyscale.test/hold') && match({ kind: e.obj.kind, namespace: e.obj.metadata.namespace, name: e.obj.metadata.name }))
            this.dropFinalizer(e, 'hyscale.test/hold');
      },
      reject: (r) => { this.rejects.push({ remaining: 1, ...r }); },
      closeWatches: () => { for (const w of [...this.watchers]) w.close(); },
    };
  }

  api(req, res, url, body, send, user, raw) {
    // /api/v1[/namespaces/NS]/PLURAL[/NAME[/SUB]] or /apis/G/V[/namespaces/NS]/PLURAL[/NAME[/SUB]]
    const parts = url.pathname.split('/').filter(Boolean);
    let gv, rest;
    const nf = () => send(404, status(404, 'NotFound', 'the server could not find the requested resource'));
    if (parts[0] === 'api' && parts[1] === 'v1') { gv = parts[1]; rest = parts.slice(2); }
    else if (parts[0] === 'apis' && parts.length >= 3) { gv = `${parts[1]}/${parts[2]}`; rest = parts.slice(3); }
    else return nf();
    const missing = this.opts.missing || [];
    if (missing.includes(groupOf(gv))) return nf();
    if (!rest.length && req.method === 'GET') {   // discovery: the APIResourceList of a group/version
      const l = resourceList(gv);
      return l ? send(200, l) : nf();
    }
    let ns = null;
    // /namespaces/NS is the namespace object itself; /namespaces/NS/PLURAL... are namespaced resources
    if (rest[0] === 'namespaces' && rest.length >= 3 && gv === 'v1' && rest.length === 3 && ['status', 'finalize'].includes(rest[2])) { /* namespace subresource */ }
    else if (rest[0] === 'namespaces' && rest.length >= 3) { ns = rest[1]; rest = rest.slice(2); }
    const [plural, name, sub] = rest;
    const r = findResource(gv, plural);
    if (!r || rest.length > 3 || (r.namespaced && !ns && name) || (!r.namespaced && ns)) return nf();
    if (sub && !r.sub.includes(sub)) return nf();
    const kind = r.kind, group = groupOf(gv), resource = group ? `${plural}.${group}` : plural;
    const q = url.searchParams;
    const watch = q.get('watch') === 'true' || q.get('watch') === '1';
    const verb = watch ? 'watch' : { GET: name ? 'get' : 'list', PATCH: 'patch', POST: 'create', DELETE: name ? 'delete' : 'deletecollection', PUT: 'update' }[req.method];
    if (user === 'viewer' && !['get', 'list', 'watch'].includes(verb))
      return send(403, status(403, 'Forbidden', `${resource}${name ? ` "${name}"` : ''} is forbidden: User "viewer" cannot ${verb} resource "${plural}" in API group "${group}"${ns ? ` in the namespace "${ns}"` : ''}`,
        { name, group, kind: plural }));
    // "deployer" works in namespaces only, as a namespaced RoleBinding allows
    if (user === 'deployer' && !ns && plural !== 'namespaces')
      return send(403, status(403, 'Forbidden', `${resource} is forbidden: User "deployer" cannot ${verb} resource "${plural}" in API group "${group}" at the cluster scope`,
        { group, kind: plural }));
    const notFound = () => send(404, status(404, 'NotFound', `${resource} "${name}" not found`, { name, group, kind: plural }));
    const ctype = (req.headers['content-type'] || '').split(';')[0].trim();
    let pbObj = null;
    if (body && ctype === 'application/vnd.kubernetes.protobuf' && req.method === 'POST') {
      try { pbObj = decodeProtobuf(raw); } catch (err) { return send(400, status(400, 'BadRequest', `error decoding protobuf: ${err.message}`)); }
    }
    if (body && ctype === 'application/vnd.kubernetes.protobuf' && !pbObj)
      return send(415, status(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml${req.method === 'PATCH' ? ', application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json' : ''}`));
    const wantTable = /as=Table/.test(req.headers.accept || '');
    const dryRun = q.getAll('dryRun').includes('All');
    const fieldValidation = q.get('fieldValidation') || 'Strict';
    const ua = (req.headers['user-agent'] || 'unknown').split('/')[0];
    const manager = q.get('fieldManager') || ua;
    const warnings = [];
    const sendW = (code, obj) => send(code, obj, warnings.length ? { Warning: warnings.map((w) => `299 - "${w.replace(/"/g, '\\"')}"`) } : {});
    const parseBody = () => {
      if (pbObj) return pbObj;
      if (ctype === 'application/yaml' || ctype === 'application/apply-patch+yaml') return YAML.parse(body);
      return JSON.parse(body);
    };

    if (sub === 'scale') return this.scale(req, q, r, ns, name, body, ctype, manager, dryRun, send, notFound);
    if (req.method === 'GET' && name) {
      const e = this.get(gv, plural, ns, name);
      if (!e) return notFound();
      return send(200, wantTable ? table(kind, [e.obj], q) : e.obj);
    }
    if (req.method === 'GET') return this.list(req, res, q, r, ns, send, wantTable, watch);
    if (req.method === 'PATCH' && name) {
      const e = this.get(gv, plural, ns, name);
      let patch;
      try { patch = parseBody(); } catch (err) { return send(400, status(400, 'BadRequest', `error decoding patch: ${err.message}`)); }
      if (ctype === 'application/apply-patch+yaml') {
        const [code, out] = this.apply(gv, plural, kind, ns, name, patch, q.get('fieldManager'), q.get('force') === 'true', { dryRun, fieldValidation, warnings });
        return sendW(code, out);
      }
      if (!e) return notFound();
      let next;
      const node = r.schema ? { apiVersion: 's', kind: 's', ...TYPES[r.schema] } : 'any';
      if (ctype === 'application/strategic-merge-patch+json') {
        if (!r.schema) return send(415, status(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`));
        next = strategicMerge(e.obj, patch, node);
      } else if (ctype === 'application/merge-patch+json') next = jsonMerge(e.obj, patch);
      else if (ctype === 'application/json-patch+json') {
        try { next = jsonPatch(e.obj, patch); } catch (err) { return send(422, status(422, 'Invalid', `the server rejected our request due to an error in our request: ${err.message}`)); }
      } else return send(415, status(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`));
      if (r.schema) { const fv = this.fieldCheck(next, r.schema, fieldValidation, kind, name, group, warnings); if (fv) return send(...fv); }
      const res2 = this.commit(e, next, { manager, subresource: sub, dryRun });
      if (Array.isArray(res2)) return send(...res2);
      return sendW(200, res2.entry.obj);
    }
    if (req.method === 'PUT' && name) {
      const e = this.get(gv, plural, ns, name);
      let obj;
      try { obj = parseBody(); } catch { return send(400, status(400, 'BadRequest', 'the body is not JSON')); }
      if (!e) return notFound();
      if (obj.metadata?.resourceVersion && obj.metadata.resourceVersion !== e.obj.metadata.resourceVersion)
        return send(409, status(409, 'Conflict', `Operation cannot be fulfilled on ${resource} "${name}": the object has been modified; please apply your changes to the latest version and try again`, { name, group, kind: plural }));
      if (r.schema) { const fv = this.fieldCheck(obj, r.schema, fieldValidation, kind, name, group, warnings); if (fv) return send(...fv); }
      const res2 = this.commit(e, obj, { manager, subresource: sub, dryRun });
      if (Array.isArray(res2)) return send(...res2);
      return sendW(200, res2.entry.obj);
    }
    if (req.method === 'POST' && !name) {
      let obj;
      try { obj = parseBody(); } catch { return send(400, status(400, 'BadRequest', 'the body of the request is not JSON')); }
      if (!isObj(obj) || !isObj(obj.metadata)) return send(400, status(400, 'BadRequest', 'the object has no metadata'));
      if (!obj.metadata.name && obj.metadata.generateName) obj.metadata.name = obj.metadata.generateName + crypto.randomBytes(3).toString('hex').slice(0, 5);
      const nm = obj.metadata.name;
      if (obj.metadata.namespace && ns && obj.metadata.namespace !== ns)
        return send(400, status(400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request'));
      const nsErr = this.namespaceCheck(ns, true);
      if (nsErr) return send(...nsErr);
      if (r.schema) { const fv = this.fieldCheck(obj, r.schema, fieldValidation, kind, nm, group, warnings); if (fv) return send(...fv); }
      if (this.get(gv, plural, ns, nm))
        return send(409, status(409, 'AlreadyExists', `${resource} "${nm}" already exists`, { name: nm, group, kind: plural }));
      const res2 = this.commit(null, obj, { manager, create: true, dryRun, gv, plural, ns });
      if (Array.isArray(res2)) return send(...res2);
      return sendW(201, res2.entry.obj);
    }
    if (req.method === 'DELETE' && name) {
      let opts = {};
      try { opts = body ? JSON.parse(body) : {}; } catch { /* no options */ }
      const policy = opts.propagationPolicy || q.get('propagationPolicy') || (opts.orphanDependents === true ? 'Orphan' : undefined);
      const e = this.get(gv, plural, ns, name);
      if (!e) return notFound();
      if (opts.preconditions?.uid && opts.preconditions.uid !== e.obj.metadata.uid)
        return send(409, status(409, 'Conflict', `Operation cannot be fulfilled on ${resource} "${name}": Precondition failed: UID in precondition: ${opts.preconditions.uid}, UID in object meta: ${e.obj.metadata.uid}`));
      const out = this.remove(gv, plural, ns, name, policy, { dryRun: dryRun || (opts.dryRun || []).includes('All') });
      if (out.pending || kind === 'Pod') return send(200, out.obj);
      return send(200, status(200, undefined, undefined, { name, group, kind: plural, uid: e.obj.metadata.uid }));
    }
    if (req.method === 'DELETE' && !name) {
      const sel = parseSelector(q.get('labelSelector'));
      for (const e of [...this.store.values()])
        if (e.gv.split('/')[0] === gv.split('/')[0] && e.plural === plural && (!ns || e.obj.metadata.namespace === ns) && labelsMatch(e.obj.metadata.labels, sel))
          this.remove(e.gv, plural, e.obj.metadata.namespace, e.obj.metadata.name, q.get('propagationPolicy'));
      return send(200, status(200, undefined, undefined, { group, kind: plural }));
    }
    return send(405, status(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`));
  }

  matching(r, ns, q) {
    const sel = parseSelector(q.get('labelSelector'));
    const fs = parseFieldSelector(q.get('fieldSelector'), r.kind);
    if (fs.error) return fs;
    const group = groupOf(r.gv);
    return { test: (gv, plural, o) => groupOf(gv) === group && plural === r.plural && (!ns || o.metadata.namespace === ns) &&
      labelsMatch(o.metadata.labels, sel) && fieldsMatch(o, fs.terms) };
  }

  list(req, res, q, r, ns, send, wantTable, watch) {
    const m = this.matching(r, ns, q);
    if (m.error) return send(400, status(400, 'BadRequest', m.error));
    if (watch) return this.watch(req, res, q, r, m, wantTable);
    let items = [...this.store.values()].filter((e) => m.test(e.gv, e.plural, e.obj)).map((e) => e.obj)
      .sort((a, b) => `${a.metadata.namespace || ''}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace || ''}/${b.metadata.name}`));
    const meta = { resourceVersion: String(this.rv) };
    const cont = q.get('continue');
    if (cont) {
      let tok;
      try { tok = JSON.parse(Buffer.from(cont, 'base64').toString()); } catch { return send(400, status(400, 'BadRequest', 'continue key is not valid')); }
      items = items.filter((o) => `${o.metadata.namespace || ''}/${o.metadata.name}` > tok.start);
      meta.resourceVersion = tok.rv;
    }
    const limit = Number(q.get('limit') || 0);
    if (limit > 0 && items.length > limit) {
      const last = items[limit - 1];
      meta.continue = Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: meta.resourceVersion, start: `${last.metadata.namespace || ''}/${last.metadata.name}` })).toString('base64');
      meta.remainingItemCount = items.length - limit;
      items = items.slice(0, limit);
    }
    if (wantTable) { const t = table(r.kind, items, q); t.metadata = meta; return send(200, t); }
    items = items.map((o) => { const c = clone(o); delete c.kind; delete c.apiVersion; return c; });
    return send(200, { kind: `${r.kind}List`, apiVersion: r.gv, metadata: meta, items });
  }

  // Watch: a chunked stream of {"type","object"} lines from a resourceVersion (or the current
  // state as ADDED), ending after timeoutSeconds; 410 Gone for a version older than the history.
  watch(req, res, q, r, m, wantTable) {
    const from = q.get('resourceVersion');
    const oldest = this.events.length ? this.events[0].rv : this.rv + 1;
    const fromN = Number(from || 0);
    const proto = req.httpVersion === '2.0' ? 'HTTP/2' : 'HTTP/1.1';
    this.log.push({ method: 'GET', path: req.url, status: 200, watch: true, protocol: proto });
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
    const write = (type, obj) => {
      const out = wantTable && type !== 'BOOKMARK' && type !== 'ERROR' ? { ...table(r.kind, [obj], q), metadata: { resourceVersion: obj.metadata.resourceVersion } } : obj;
      res.write(JSON.stringify({ type, object: out }) + '\n');
    };
    if (from && fromN > 0 && fromN < oldest - 1 && fromN < this.rv) {
      write('ERROR', status(410, 'Expired', `too old resource version: ${fromN} (${oldest - 1})`));
      return res.end();
    }
    const w = { offer: (ev) => { if (ev.rv > fromN && m.test(ev.gv, ev.plural, ev.obj)) write(ev.type, ev.obj); },
      close: () => { this.watchers.delete(w); clearTimeout(w.timer); try { res.end(); } catch { /* gone */ } } };
    if (!from || from === '0') {
      for (const e of this.store.values()) if (m.test(e.gv, e.plural, e.obj)) write('ADDED', e.obj);
      w.offer = (ev) => { if (m.test(ev.gv, ev.plural, ev.obj)) write(ev.type, ev.obj); };
    } else for (const ev of this.events) w.offer(ev);
    if (q.get('allowWatchBookmarks') === 'true') write('BOOKMARK', { kind: r.kind, apiVersion: r.gv, metadata: { resourceVersion: String(this.rv) } });
    this.watchers.add(w);
    const secs = Number(q.get('timeoutSeconds') || 1800);
    w.timer = setTimeout(() => w.close(), secs * 1000);
    this.timers.add(w.timer);
    const gone = () => { this.watchers.delete(w); clearTimeout(w.timer); };
    res.on('close', gone);
    req.on('close', gone);
  }

  // /scale: autoscaling/v1 Scale of a Deployment, ReplicaSet or StatefulSet.
  scale(req, q, r, ns, name, body, ctype, manager, dryRun, send, notFound) {
    const e = this.get(r.gv, r.plural, ns, name);
    if (!e) return notFound();
    const toScale = (o) => ({ kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: { name: o.metadata.name, namespace: o.metadata.namespace,
      uid: o.metadata.uid, resourceVersion: o.metadata.resourceVersion, creationTimestamp: o.metadata.creationTimestamp },
      spec: { replicas: o.spec.replicas }, status: { replicas: o.status?.replicas || 0,
        selector: Object.entries(o.spec.selector?.matchLabels || {}).map(([k, v]) => `${k}=${v}`).join(',') } });
    if (req.method === 'GET') return send(200, toScale(e.obj));
    let patch;
    try { patch = ctype === 'application/apply-patch+yaml' ? YAML.parse(body) : JSON.parse(body); } catch { return send(400, status(400, 'BadRequest', 'the body is not JSON')); }
    let sc = toScale(e.obj);
    if (req.method === 'PUT') {
      if (patch.metadata?.resourceVersion && patch.metadata.resourceVersion !== e.obj.metadata.resourceVersion)
        return send(409, status(409, 'Conflict', `Operation cannot be fulfilled on ${r.plural}.${groupOf(r.gv)} "${name}": the object has been modified; please apply your changes to the latest version and try again`));
      sc = patch;
    } else if (ctype === 'application/json-patch+json') sc = jsonPatch(sc, patch);
    else sc = jsonMerge(sc, patch);
    const replicas = sc.spec?.replicas;
    if (!Number.isInteger(replicas) || replicas < 0)
      return send(422, status(422, 'Invalid', `Scale.autoscaling "${name}" is invalid: spec.replicas: Invalid value: ${replicas}: must be greater than or equal to 0`));
    const res2 = this.setReplicas(e, replicas, manager, { dryRun });
    if (Array.isArray(res2)) return send(...res2);
    return send(200, toScale(res2.entry.obj));
  }
  setReplicas(e, replicas, manager, { dryRun = false } = {}) {
    const next = clone(e.obj);
    next.spec.replicas = replicas;
    return this.commit(e, next, { manager, subresource: 'scale', dryRun });
  }
  // A controller writes status (manager kube-controller-manager, subresource status).
  writeStatus(e, st) {
    if (deepEqual(e.obj.status, st)) return;
    const next = clone(e.obj);
    next.status = st;
    this.commit(e, next, { manager: 'kube-controller-manager', subresource: 'status' });
  }
}

function isPrefixOfAny(p, set) {
  const pre = p.slice(0, -1) + ',';
  for (const q of set) if (q.startsWith(pre)) return true;
  return false;
}

function validateCrd(o) {
  const DNS1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
  const n = o.metadata?.name || '';
  return DNS1123.test(n) && n.length <= 253 ? [] : [{ reason: 'FieldValueInvalid', field: 'metadata.name',
    message: `Invalid value: "${n}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'` }];
}

// RFC 6902 JSON patch (kubectl patch --type json).
function jsonPatch(doc, ops) {
  const out = clone(doc);
  const ptr = (p) => p.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  for (const op of ops) {
    const ks = ptr(op.path);
    let cur = out;
    for (const k of ks.slice(0, -1)) { cur = cur?.[k]; if (cur === undefined) throw new Error(`path ${op.path} not found`); }
    const last = ks[ks.length - 1];
    if (op.op === 'test') { if (!deepEqual(cur[last], op.value)) throw new Error(`test failed at ${op.path}`); continue; }
    if (op.op === 'remove') { if (Array.isArray(cur)) cur.splice(Number(last), 1); else delete cur[last]; continue; }
    if (op.op === 'add' && Array.isArray(cur)) { cur.splice(last === '-' ? cur.length : Number(last), 0, op.value); continue; }
    if (op.op === 'add' || op.op === 'replace') { cur[last] = op.value; continue; }
    throw new Error(`unsupported op ${op.op}`);
  }
  return out;
}

// Starts a server on 127.0.0.1 (port 0: any free port). tls: {key, cert, ca} PEM strings.
// HTTP/2 with HTTP/1.1 accepted (ALPN), client certificates requested but optional (tokens).
export async function startServer({ tls, tokens, config, missing, port = 0 }) {
  const cluster = new FakeCluster({ tokens, config, missing });
  const server = http2.createSecureServer({ key: tls.key, cert: tls.cert, ca: tls.ca, requestCert: true, rejectUnauthorized: false,
    allowHTTP1: true, settings: { maxConcurrentStreams: 1000 } },
  (req, res) => cluster.handle(req, res).catch((err) => { try { res.writeHead(500); res.end(String(err)); } catch { /* gone */ } }));
  server.on('secureConnection', (s) => { cluster.sockets.add(s); s.on('close', () => cluster.sockets.delete(s)); });
  server.on('session', (s) => { cluster.sessions ||= new Set(); cluster.sessions.add(s); s.on('close', () => cluster.sessions.delete(s)); });
  await new Promise((ok) => server.listen(port, '127.0.0.1', ok));
  cluster.port = server.address().port;
  cluster.controllers.start();
  cluster.close = () => new Promise((ok) => {
    cluster.controllers.stop();
    for (const t of cluster.timers) clearTimeout(t);
    for (const w of [...cluster.watchers]) w.close();
    for (const s of cluster.sessions || []) s.destroy();
    for (const s of cluster.sockets) s.destroy();
    server.close(ok);
  });
  return cluster;
}
