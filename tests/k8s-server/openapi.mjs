// OpenAPI v3 documents for the kinds served (/openapi/v3 and /openapi/v3/<api|apis/group>/<version>),
// generated from resources.mjs and schema.mjs: paths with the query parameters kubectl checks for
// (fieldValidation, fieldManager, dryRun, force) and x-kubernetes-group-version-kind, and the
// component schemas with the list types, list-map keys and patch merge keys.
import crypto from 'node:crypto';
import { RESOURCES, groupOf, versionOf } from './resources.mjs';
import { TYPES, componentName, openapiSchema } from './schema.mjs';

const gvPath = (gv) => (groupOf(gv) ? `apis/${gv}` : `api/${gv}`);
const hash = (s) => crypto.createHash('sha512').update(s).digest('hex').slice(0, 128).toUpperCase();

export function openapiRoot(missing = []) {
  const gvs = [...new Set(RESOURCES.map((r) => r.gv))].filter((gv) => !missing.includes(groupOf(gv)));
  const paths = {};
  for (const gv of gvs) paths[gvPath(gv)] = { serverRelativeURL: `/openapi/v3/${gvPath(gv)}?hash=${hash(gv)}` };
  for (const p of ['api', 'apis', 'version', '.well-known/openid-configuration'])
    paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${hash(p)}` };
  return { paths };
}

const q = (name, type = 'string', description = '') => ({ name, in: 'query', description, schema: { type, uniqueItems: true } });
const WRITE = [q('dryRun', 'string', 'When present, indicates that modifications should not be persisted.'),
  q('fieldManager', 'string', 'fieldManager is a name associated with the actor or entity that is making these changes.'),
  q('fieldValidation', 'string', 'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields. Valid values are: Ignore, Warn, Strict.')];
const LIST = ['allowWatchBookmarks', 'continue', 'fieldSelector', 'labelSelector', 'limit', 'resourceVersion', 'resourceVersionMatch', 'sendInitialEvents', 'timeoutSeconds', 'watch']
  .map((n) => q(n, ['limit', 'timeoutSeconds'].includes(n) ? 'integer' : ['watch', 'allowWatchBookmarks', 'sendInitialEvents'].includes(n) ? 'boolean' : 'string'));
const json = (ref) => ({ content: { 'application/json': { schema: ref } } });

// The named types a root type reaches (for the components section).
function reach(name, out = new Set()) {
  if (out.has(name) || !TYPES[name]) return out;
  out.add(name);
  const walk = (n) => {
    if (typeof n === 'string') { if (TYPES[n]) reach(n, out); return; }
    if (n.list) return walk(n.list);
    if (n.map) return walk(n.map);
    for (const v of Object.values(n)) walk(v);
  };
  for (const v of Object.values(TYPES[name])) walk(v);
  return out;
}

export function openapiDoc(p, missing = []) {
  const gv = p.replace(/^apis?\//, '');
  const rs = RESOURCES.filter((r) => r.gv === gv && !missing.includes(groupOf(gv)));
  if (!rs.length) return null;
  const paths = {}, schemas = {};
  const group = groupOf(gv), version = versionOf(gv);
  for (const r of rs) {
    const gvk = { group, version, kind: r.kind };
    const name = r.schema ? componentName(r.kind) : `${group.split('.').reverse().join('.')}.${version}.${r.kind}`;
    const ref = { $ref: `#/components/schemas/${name}` };
    if (r.schema) for (const t of reach(r.kind)) {
      const s = openapiSchema(TYPES[t]);
      if (t === r.kind) s['x-kubernetes-group-version-kind'] = [gvk];
      schemas[componentName(t)] = JSON.parse(JSON.stringify(s));
    }
    else schemas[name] = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, 'x-kubernetes-group-version-kind': [gvk],
      properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }] } } };
    if (!r.schema) for (const t of reach('ObjectMeta')) schemas[componentName(t)] = openapiSchema(TYPES[t]);
    const base = `/${gvPath(gv)}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.plural}`;
    const op = (action, extra = {}) => ({ operationId: `${action}${r.kind}`, 'x-kubernetes-action': action, 'x-kubernetes-group-version-kind': gvk,
      responses: { 200: { description: 'OK', ...json(ref) } }, ...extra });
    const nsParam = r.namespaced ? [{ name: 'namespace', in: 'path', required: true, schema: { type: 'string', uniqueItems: true } }] : [];
    paths[base] = { parameters: nsParam,
      get: op('list', { parameters: LIST }), post: op('post', { parameters: WRITE, requestBody: { ...json(ref), required: true } }),
      delete: op('deletecollection', { parameters: [q('propagationPolicy'), q('dryRun'), ...LIST] }) };
    paths[`${base}/{name}`] = { parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string', uniqueItems: true } }, ...nsParam],
      get: op('get'), put: op('put', { parameters: WRITE, requestBody: { ...json(ref), required: true } }),
      patch: op('patch', { parameters: [...WRITE, q('force', 'boolean', 'Force is going to "force" Apply requests.')],
        requestBody: { content: Object.fromEntries(['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json']
          .map((t) => [t, { schema: { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Patch' } }])), required: true } }),
      delete: op('delete', { parameters: [q('dryRun'), q('gracePeriodSeconds', 'integer'), q('propagationPolicy')] }) };
    for (const s of r.sub) {
      const sref = s === 'scale' ? { $ref: '#/components/schemas/io.k8s.api.autoscaling.v1.Scale' } : ref;
      const sgvk = s === 'scale' ? { group: 'autoscaling', version: 'v1', kind: 'Scale' } : gvk;
      if (s === 'scale') for (const t of reach('Scale')) schemas[componentName(t)] = openapiSchema(TYPES[t]);
      const sop = (action, extra = {}) => ({ ...op(action, extra), operationId: `${action}${r.kind}${s[0].toUpperCase()}${s.slice(1)}`, 'x-kubernetes-group-version-kind': sgvk,
        responses: { 200: { description: 'OK', ...json(sref) } } });
      paths[`${base}/{name}/${s}`] = { parameters: paths[`${base}/{name}`].parameters, get: sop('get'),
        put: sop('put', { parameters: WRITE, requestBody: { ...json(sref), required: true } }),
        patch: sop('patch', { parameters: [...WRITE, q('force', 'boolean')], requestBody: paths[`${base}/{name}`].patch.requestBody }) };
    }
  }
  schemas['io.k8s.apimachinery.pkg.apis.meta.v1.Patch'] = { type: 'object', description: 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.' };
  if (schemas['io.k8s.api.autoscaling.v1.Scale']) schemas['io.k8s.api.autoscaling.v1.Scale']['x-kubernetes-group-version-kind'] = [{ group: 'autoscaling', version: 'v1', kind: 'Scale' }];
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.32.0' }, paths, components: { schemas } };
}
