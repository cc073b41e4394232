// Field sets and the three patch kinds, on the schemas of schema.mjs:
//  - a field set is a Set of path keys (JSON arrays of fieldsV1 elements: "f:name",
//    'k:{"name":"web"}' for an item of a list-map, 'v:"x"' for a member of a set); items of
//    list-maps are members themselves (fieldsV1 "."), other members are leaves;
//  - server-side apply: conflicts per field with other managers, merge of the applied
//    configuration into the live object (list-maps by their keys, sets by value, atomic lists
//    replaced), removal of the fields a manager stopped applying that nobody else owns;
//  - strategic merge patch (client-side kubectl apply, kubectl diff/label/annotate) with its
//    directives, and JSON merge patch (RFC 7386) for kinds without a schema.
import { resolve, isList, isMap, isFields, mapItem } from './schema.mjs';

export const clone = (o) => (o === undefined ? undefined : JSON.parse(JSON.stringify(o)));
export const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
export function deepEqual(a, b) {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObj(a) && isObj(b)) {
    const ka = Object.keys(a), kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}
const sortedJSON = (o) => JSON.stringify(Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]])));

// How a list merges: {kind: 'atomic' | 'set' | 'map', keys}.
function listKind(node) {
  if (!isList(node)) return { kind: 'atomic' };
  if (node.type === 'map') return { kind: 'map', keys: node.keys };
  if (node.type === 'set') return { kind: 'set' };
  if (node.mergeKey) return { kind: 'map', keys: [node.mergeKey] };
  return { kind: 'atomic' };
}
// The key of a list-map item: its key fields, the protocol defaulted (the schema's default for
// a key field, as the real server fills it in before merging).
function itemKey(item, keys) {
  const k = {};
  for (const f of keys) {
    if (item?.[f] !== undefined) k[f] = item[f];
    else if (f === 'protocol') k[f] = 'TCP';
  }
  return `k:${sortedJSON(k)}`;
}
const childNode = (node, k) => {
  node = resolve(node);
  if (node === 'any' || node == null) return 'any';
  if (isMap(node)) return mapItem(node);
  if (isFields(node)) return node[k];
  return undefined;
};

// The field set of a value under a schema node.
export function fieldSet(obj, node, prefix = [], out = new Set()) {
  node = resolve(node);
  if (isObj(obj) && (node === 'any' || node == null || isMap(node) || isFields(node))) {
    const ks = Object.keys(obj);
    if (!ks.length && prefix.length) out.add(JSON.stringify(prefix));
    for (const k of ks) {
      const p = [...prefix, `f:${k}`];
      const c = childNode(node, k);
      fieldSet(obj[k], c === undefined ? 'any' : c, p, out);
    }
    return out;
  }
  if (Array.isArray(obj) && isList(node)) {
    const lk = listKind(node);
    if (lk.kind === 'map') {
      for (const it of obj) {
        const p = [...prefix, itemKey(it, lk.keys)];
        out.add(JSON.stringify(p));
        if (isObj(it)) for (const k of Object.keys(it)) fieldSet(it[k], childNode(node.list, k) ?? 'any', [...p, `f:${k}`], out);
      }
      return out;
    }
    if (lk.kind === 'set') { for (const v of obj) out.add(JSON.stringify([...prefix, `v:${JSON.stringify(v)}`])); return out; }
  }
  out.add(JSON.stringify(prefix));
  return out;
}

// The value at a path (undefined when absent); `parent` gives the container and the slot.
export function valueAt(obj, path, node, parent = false) {
  let cur = obj, n = node, holder = null, slot = null;
  for (const el of path) {
    n = resolve(n);
    holder = cur;
    if (el.startsWith('f:')) {
      slot = el.slice(2);
      if (!isObj(cur)) return undefined;
      cur = cur[slot];
      n = childNode(n, slot) ?? 'any';
    } else if (el.startsWith('k:') || el.startsWith('v:')) {
      if (!Array.isArray(cur)) return undefined;
      const lk = listKind(n);
      slot = el.startsWith('k:') ? cur.findIndex((it) => itemKey(it, lk.keys) === el) : cur.findIndex((it) => `v:${JSON.stringify(it)}` === el);
      if (slot < 0) return undefined;
      cur = cur[slot];
      n = isList(n) ? n.list : 'any';
    } else return undefined;
    if (cur === undefined) return undefined;
  }
  return parent ? { holder, slot, value: cur } : cur;
}

export function removePath(obj, path, node) {
  const at = valueAt(obj, path, node, true);
  if (!at || at.holder == null) return;
  if (Array.isArray(at.holder)) at.holder.splice(at.slot, 1);
  else delete at.holder[at.slot];
  // maps and structs emptied by the removal go too, as the API server prunes them
  for (let i = path.length - 1; i > 0; i--) {
    if (!path[i - 1].startsWith('f:') || !path[i].startsWith('f:')) break;
    const p = valueAt(obj, path.slice(0, i), node, true);
    if (!p || !isObj(p.value) || Object.keys(p.value).length) break;
    delete p.holder[p.slot];
  }
}

// Merges an applied configuration into a live value (SSA merge semantics).
export function merge(live, cfg, node) {
  node = resolve(node);
  if (isObj(cfg) && isObj(live) && (node === 'any' || node == null || isMap(node) || isFields(node))) {
    const out = { ...live };
    for (const [k, v] of Object.entries(cfg)) out[k] = k in live ? merge(live[k], v, childNode(node, k) ?? 'any') : clone(v);
    return out;
  }
  if (Array.isArray(cfg) && Array.isArray(live) && isList(node)) {
    const lk = listKind(node);
    if (lk.kind === 'map') {
      // the applied order when it only reorders or updates items; new items after the others
      const key = (x) => itemKey(x, lk.keys);
      const applied = new Map(cfg.map((it) => [key(it), it]));
      const liveKeys = new Set(live.map(key));
      if (cfg.every((it) => liveKeys.has(key(it)))) {
        const rest = live.filter((x) => !applied.has(key(x)));
        return [...cfg.map((it) => merge(live.find((x) => key(x) === key(it)), it, node.list)), ...rest];
      }
      return [...live.map((x) => (applied.has(key(x)) ? merge(x, applied.get(key(x)), node.list) : x)),
        ...cfg.filter((it) => !liveKeys.has(key(it))).map(clone)];
    }
    if (lk.kind === 'set') return [...cfg, ...live.filter((x) => !cfg.some((y) => deepEqual(x, y)))];
  }
  return clone(cfg);
}

// fieldsV1 ⇄ field sets.
export function toFieldsV1(set) {
  const root = {};
  for (const key of set) {
    let cur = root;
    for (const el of JSON.parse(key)) cur = cur[el] || (cur[el] = {});
    cur['.'] = {};
  }
  // "." only where a member also has children (list items); plain leaves stay {}
  const tidy = (o) => {
    for (const [k, v] of Object.entries(o)) if (k !== '.') tidy(v);
    if (Object.keys(o).length === 1 && o['.']) delete o['.'];
  };
  tidy(root);
  // sorted, as the API server serializes field sets
  const sort = (o) => Object.fromEntries(Object.keys(o).sort().map((k) => [k, sort(o[k])]));
  return sort(root);
}
export function fromFieldsV1(f, prefix = [], out = new Set()) {
  const ks = Object.keys(f || {});
  if (prefix.length && (!ks.length || '.' in f)) out.add(JSON.stringify(prefix));
  for (const k of ks) if (k !== '.') fromFieldsV1(f[k], [...prefix, k], out);
  return out;
}
// The part of an object a field set covers (what a manager applied, as stored).
export function project(obj, set, node) {
  const under = new Set();
  for (const key of set) { const p = JSON.parse(key); for (let i = 0; i < p.length; i++) under.add(JSON.stringify(p.slice(0, i))); }
  const walk = (v, n, path) => {
    const key = JSON.stringify(path);
    if (set.has(key) && !under.has(key)) return clone(v);
    if (!under.has(key)) return undefined;
    n = resolve(n);
    if (isObj(v)) {
      const out = {};
      for (const k of Object.keys(v)) { const r = walk(v[k], childNode(n, k) ?? 'any', [...path, `f:${k}`]); if (r !== undefined) out[k] = r; }
      return out;
    }
    if (Array.isArray(v) && isList(n)) {
      const lk = listKind(n), out = [];
      for (const it of v) {
        const r = walk(it, n.list, [...path, lk.kind === 'map' ? itemKey(it, lk.keys) : `v:${JSON.stringify(it)}`]);
        if (r !== undefined) out.push(r);
      }
      return out;
    }
    return clone(v);
  };
  return walk(obj, node, []) || {};
}

// Strategic merge patch (the subset kubectl sends: null deletes, list merge by patch merge key,
// $patch replace/delete/merge, $setElementOrder, $retainKeys, $deleteFromPrimitiveList).
export function strategicMerge(live, patch, node) {
  node = resolve(node);
  if (!isObj(patch)) return clone(patch);
  if (patch.$patch === 'replace') { const p = clone(patch); delete p.$patch; return p; }
  if (patch.$patch === 'delete') return undefined;
  const out = isObj(live) ? clone(live) : {};
  if (Array.isArray(patch.$retainKeys)) for (const k of Object.keys(out)) if (!patch.$retainKeys.includes(k)) delete out[k];
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch' || k === '$retainKeys' || k.startsWith('$setElementOrder/') || k.startsWith('$deleteFromPrimitiveList/')) continue;
    const c = childNode(node, k) ?? 'any';
    if (v === null) { delete out[k]; continue; }
    if (Array.isArray(v)) { out[k] = mergeList(out[k], v, c); continue; }
    if (isObj(v)) { const m = strategicMerge(out[k], v, c); if (m === undefined) delete out[k]; else out[k] = m; continue; }
    out[k] = v;
  }
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const f = k.slice(25);
      if (Array.isArray(out[f])) out[f] = out[f].filter((x) => !v.some((y) => deepEqual(x, y)));
    }
    if (k.startsWith('$setElementOrder/')) {
      const f = k.slice(17), c = resolve(childNode(node, f));
      if (!Array.isArray(out[f])) continue;
      const mk = isList(c) ? c.mergeKey || c.keys?.[0] : null;
      const pos = (x) => { const i = v.findIndex((o) => (mk && isObj(o) ? o[mk] === x?.[mk] : deepEqual(o, x))); return i < 0 ? v.length : i; };
      out[f] = [...out[f]].sort((a, b) => pos(a) - pos(b));
    }
  }
  return out;
}
function mergeList(live, patch, node) {
  node = resolve(node);
  const lk = listKind(node);
  if (patch.some((x) => isObj(x) && x.$patch === 'replace')) return clone(patch.filter((x) => !(isObj(x) && x.$patch === 'replace')));
  if (!Array.isArray(live) || lk.kind === 'atomic') return clone(patch.filter((x) => !(isObj(x) && x.$patch)));
  if (lk.kind === 'set') return [...live, ...patch.filter((x) => !live.some((y) => deepEqual(x, y)))];
  const mk = node.mergeKey || lk.keys[0];
  const out = clone(live);
  for (const it of patch) {
    const i = out.findIndex((x) => x?.[mk] === it?.[mk]);
    if (isObj(it) && it.$patch === 'delete') { if (i >= 0) out.splice(i, 1); continue; }
    if (i < 0) out.push(strategicMerge({}, it, node.list));
    else out[i] = strategicMerge(out[i], it, node.list);
  }
  return out;
}

// RFC 7386 JSON merge patch.
export function jsonMerge(live, patch) {
  if (!isObj(patch)) return clone(patch);
  const out = isObj(live) ? clone(live) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = jsonMerge(out[k], v);
  }
  return out;
}
