// The Kubernetes protobuf envelope ("k8s\0" + runtime.Unknown) decoded for what kubectl's typed
// clients send (kubectl create namespace/configmap/secret/deployment/service): field numbers of
// those messages from k8s.io/api generated.proto (v1.32), as data. Any other kind, or a field not
// in the table, gets the real server's 415 (kubectl then reports it: a known gap, README.md).
const T = {
  ObjectMeta: { 1: ['name', 's'], 2: ['generateName', 's'], 3: ['namespace', 's'], 11: ['labels', 'map'], 12: ['annotations', 'map'], 14: ['finalizers', '[s'] },
  Namespace: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'NamespaceSpec'], 3: ['status', 'skip'] },
  NamespaceSpec: { 1: ['finalizers', '[s'] },
  ConfigMap: { 1: ['metadata', 'ObjectMeta'], 2: ['data', 'map'], 3: ['binaryData', 'mapb'], 4: ['immutable', 'b'] },
  Secret: { 1: ['metadata', 'ObjectMeta'], 2: ['data', 'mapb'], 3: ['type', 's'], 4: ['stringData', 'map'], 5: ['immutable', 'b'] },
  Deployment: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'DeploymentSpec'], 3: ['status', 'skip'] },
  DeploymentSpec: { 1: ['replicas', 'i'], 2: ['selector', 'LabelSelector'], 3: ['template', 'PodTemplateSpec'], 4: ['strategy', 'DeploymentStrategy'],
    5: ['minReadySeconds', 'i0'], 6: ['revisionHistoryLimit', 'i'], 7: ['paused', 'b'], 9: ['progressDeadlineSeconds', 'i'] },
  DeploymentStrategy: { 1: ['type', 's'] },
  LabelSelector: { 1: ['matchLabels', 'map'] },
  PodTemplateSpec: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'PodSpec'] },
  PodSpec: { 2: ['containers', '[Container'], 3: ['restartPolicy', 's'], 8: ['serviceAccountName', 's'] },
  Container: { 1: ['name', 's'], 2: ['image', 's'], 3: ['command', '[s'], 4: ['args', '[s'], 5: ['workingDir', 's'], 6: ['ports', '[ContainerPort'],
    8: ['resources', 'ResourceRequirements'], 14: ['imagePullPolicy', 's'] },
  ContainerPort: { 1: ['name', 's'], 2: ['hostPort', 'i0'], 3: ['containerPort', 'i0'], 4: ['protocol', 's'], 5: ['hostIP', 's'] },
  ResourceRequirements: {},
  Service: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'ServiceSpec'], 3: ['status', 'skip'] },
  ServiceSpec: { 1: ['ports', '[ServicePort'], 2: ['selector', 'map'], 3: ['clusterIP', 's'], 4: ['type', 's'], 7: ['sessionAffinity', 's'], 12: ['externalName', 's'] },
  ServicePort: { 1: ['name', 's'], 2: ['protocol', 's'], 3: ['port', 'i0'], 4: ['targetPort', 'IntOrString'], 5: ['nodePort', 'i0'] },
};

function fields(buf) {
  const out = [];
  let i = 0;
  const varint = () => { let v = 0, s = 0, b; do { b = buf[i++]; v += (b & 0x7f) * 2 ** s; s += 7; } while (b & 0x80); return v; };
  while (i < buf.length) {
    const tag = varint(), no = Math.floor(tag / 8), wt = tag & 7;
    if (wt === 0) out.push([no, varint()]);
    else if (wt === 2) { const n = varint(); out.push([no, buf.subarray(i, i + n)]); i += n; }
    else if (wt === 1) { out.push([no, buf.subarray(i, i + 8)]); i += 8; }
    else if (wt === 5) { out.push([no, buf.subarray(i, i + 4)]); i += 4; }
    else throw new Error(`protobuf wire type ${wt}`);
  }
  return out;
}
const str = (b) => Buffer.from(b).toString('utf8');
const entry = (b) => { const f = fields(b); return [str(f.find(([n]) => n === 1)?.[1] || []), f.find(([n]) => n === 2)?.[1] || Buffer.alloc(0)]; };
const int32 = (v) => (v >= 2 ** 31 ? v - 2 ** 32 : v);

class Unsupported extends Error {}
function empty(v) {
  if (typeof v === 'number') return v === 0;
  if (!v.length) return true;
  try { return fields(v).every(([, x]) => empty(x)); } catch { return false; }
}
function message(buf, type) {
  const t = T[type], out = {};
  for (const [no, v] of fields(buf)) {
    const f = t[no];
    // fields not in the table are fine while they hold their zero value (gogo writes those too)
    if (!f) { if (!empty(v)) throw new Unsupported(`${type} field ${no}`); continue; }
    const [name, kind] = f;
    if (kind === 'skip') continue;
    if (kind === 's') { if (v.length) out[name] = str(v); }
    else if (kind === 'i') out[name] = int32(v);
    else if (kind === 'i0') { if (v) out[name] = int32(v); }
    else if (kind === 'b') { if (v) out[name] = true; }
    else if (kind === 'map') { const [k, x] = entry(v); (out[name] ||= {})[k] = str(x); }
    else if (kind === 'mapb') { const [k, x] = entry(v); (out[name] ||= {})[k] = Buffer.from(x).toString('base64'); }
    else if (kind === '[s') (out[name] ||= []).push(str(v));
    else if (kind.startsWith('[')) (out[name] ||= []).push(message(v, kind.slice(1)));
    else if (kind === 'IntOrString') {
      const g = Object.fromEntries(fields(v));
      out[name] = g[1] === 1 ? str(g[3] || []) : int32(g[2] || 0);
    } else { const m = message(v, kind); if (Object.keys(m).length || kind === 'ResourceRequirements') out[name] = m; }
  }
  return out;
}

// The JSON object, or null when the kind (or one of its fields) is not in the table.
export function decodeProtobuf(body) {
  if (body.length < 4 || body.subarray(0, 4).toString('latin1') !== 'k8s\0') throw new Error('missing the k8s protobuf magic');
  const unknown = fields(body.subarray(4));
  const typeMeta = fields(unknown.find(([n]) => n === 1)?.[1] || Buffer.alloc(0));
  const apiVersion = str(typeMeta.find(([n]) => n === 1)?.[1] || []), kind = str(typeMeta.find(([n]) => n === 2)?.[1] || []);
  if (!T[kind] || !T[kind][1] || T[kind][1][1] !== 'ObjectMeta') return null;
  try {
    return { apiVersion, kind, ...message(unknown.find(([n]) => n === 2)?.[1] || Buffer.alloc(0), kind) };
  } catch (err) {
    if (err instanceof Unsupported) { if (process.env.K8S_SERVER_DEBUG) console.error(`protobuf: ${err.message}`); return null; }
    throw err;
  }
}
