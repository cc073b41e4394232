#!/usr/bin/env node
// Manifests generated without -n must carry no namespace: no metadata.namespace, no
// `namespace` key anywhere (route parents, grants), no <svc>.<ns>.svc.cluster.local host
// and no Traefik <ns>-<name>@kubernetescrd reference. Used by tests/scripts/corpus.sh.
//
//   node tests/scripts/no-namespace.mjs FILE_OR_DIR...
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "../schema/node_modules/yaml/dist/index.js";

const files = (p) => (statSync(p).isDirectory() ? readdirSync(p).flatMap((e) => files(join(p, e))) : [p]);
const bad = [];
function walk(v, where, file) {
  if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${where}[${i}]`, file));
  else if (v && typeof v === "object")
    for (const [k, x] of Object.entries(v)) {
      if (k === "namespace") bad.push(`${file}: ${where}.${k}: ${JSON.stringify(x)}`);
      // Only references we generate: a user's own command may well say .svc.cluster.local.
      else if ((k === "host" && /\.svc\.cluster\.local$/.test(x)) || (k.endsWith("router.middlewares") && /@kubernetescrd/.test(x)))
        bad.push(`${file}: ${where}.${k}: ${JSON.stringify(x)} names a namespace`);
      walk(x, `${where}.${k}`, file);
    }
}
let n = 0;
for (const f of process.argv.slice(2).flatMap(files)) {
  if (!/\.ya?ml$/.test(f)) continue;
  for (const d of parseAllDocuments(readFileSync(f, "utf8"))) {
    walk(d.toJS(), "", f);
    n++;
  }
}
for (const b of bad) console.log(b);
console.log(`no-namespace: ${n} objects, ${bad.length} with a namespace`);
process.exit(bad.length ? 1 : 0);
