// The Kubernetes protobuf envelope ("k8s\0" + runtime.Unknown), decoded for the messages
// kubectl's typed clients send that this server understands: a Namespace (kubectl create
// namespace). Other protobuf bodies get the real server's 415 for a type it cannot decode.
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
const strMap = (entries) => Object.fromEntries(entries.map((e) => { const f = fields(e); return [str(f.find(([n]) => n === 1)?.[1] || []), str(f.find(([n]) => n === 2)?.[1] || [])]; }));

function objectMeta(buf) {
  const f = fields(buf), m = {};
  const all = (n) => f.filter(([k]) => k === n).map(([, v]) => v);
  for (const [n, k] of [[1, 'name'], [2, 'generateName'], [3, 'namespace']]) if (all(n).length && all(n)[0].length) m[k] = str(all(n)[0]);
  if (all(11).length) m.labels = strMap(all(11));
  if (all(12).length) m.annotations = strMap(all(12));
  if (all(14).length) m.finalizers = all(14).map(str);
  return m;
}

// Returns the JSON object, or null when the kind is not one this server decodes.
export function decodeProtobuf(body) {
  if (body.length < 4 || body.subarray(0, 4).toString('latin1') !== 'k8s\0') throw new Error('missing the k8s protobuf magic');
  const unknown = fields(body.subarray(4));
  const typeMeta = fields(unknown.find(([n]) => n === 1)?.[1] || Buffer.alloc(0));
  const apiVersion = str(typeMeta.find(([n]) => n === 1)?.[1] || []), kind = str(typeMeta.find(([n]) => n === 2)?.[1] || []);
  const raw = unknown.find(([n]) => n === 2)?.[1] || Buffer.alloc(0);
  if (kind !== 'Namespace') return null;
  const f = fields(raw);
  const obj = { apiVersion, kind, metadata: objectMeta(f.find(([n]) => n === 1)?.[1] || Buffer.alloc(0)) };
  const spec = f.find(([n]) => n === 2)?.[1];
  if (spec) { const fin = fields(spec).filter(([n]) => n === 1).map(([, v]) => str(v)); if (fin.length) obj.spec = { finalizers: fin }; }
  return obj;
}
