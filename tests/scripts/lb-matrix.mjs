#!/usr/bin/env node
// The README provider matrix, checked against the code.
//
//   node tests/scripts/lb-matrix.mjs BUILD/hyscale
//
// Every loadBalancer spec of the test suite (tests/lb/specs/*.hspec and the specs of
// tests/golden/lb-*/) is rendered with every provider of the matrix (--provider). For
// each intent the spec uses (a row, found by looking at the spec), the provider's cell
// says what must happen:
//   - a plain cell: its first `code` must appear in the output, as a YAML key or, when
//     it has the form `key: value`, as a whole line;
//   - "⚠ `field`": a warning about that field must be printed;
//   - "✗ `field`": an error about that field, and nothing written;
//   - "—": nothing to check.
// Conversely every warning or error about loadBalancer.* must be one that a row of the
// spec allows, so the table cannot fall behind new diagnostics. All rendered manifests
// are then validated against the upstream schemas (tests/schema/validate.mjs, Standard).
import { readFileSync, readdirSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { join, dirname, resolve, basename } from "node:path";
import { tmpdir } from "node:os";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
const TESTS = resolve(HERE, "..");
const ROOT = resolve(TESTS, "..");
const YAML = createRequire(join(TESTS, "schema", "package.json"))("yaml");
const NS = "shop";

const bin = process.argv[2];
if (!bin) {
  console.error("usage: lb-matrix.mjs BUILD/hyscale");
  process.exit(2);
}

// ---- the table ----------------------------------------------------------------------
function parseMatrix(readme) {
  const start = readme.indexOf("<!-- section:matrix -->");
  const end = readme.indexOf("<!-- /section:matrix -->");
  if (start < 0 || end < 0) throw new Error("README has no matrix section");
  const lines = readme.slice(start, end).split("\n").filter((l) => l.startsWith("|"));
  const split = (l) => l.split("|").slice(1, -1).map((c) => c.trim());
  const providers = split(lines[0]).slice(1);
  const rows = new Map();
  for (const l of lines.slice(2)) {
    const cells = split(l);
    const id = /`([^`]+)`/.exec(cells[0]);
    if (!id) throw new Error(`matrix row without an (\`id\`): ${l}`);
    if (cells.length !== providers.length + 1) throw new Error(`matrix row ${id[1]} has ${cells.length} cells`);
    const byProvider = {};
    providers.forEach((p, i) => (byProvider[p] = parseCell(cells[i + 1])));
    rows.set(id[1], byProvider);
  }
  return { providers, rows };
}

function parseCell(text) {
  const cell = { text, emit: null, warn: [], error: [] };
  const re = /([⚠✗]\s*)?`([^`]+)`/g;
  let m;
  while ((m = re.exec(text))) {
    if (m[1]?.startsWith("⚠")) cell.warn.push(m[2]);
    else if (m[1]?.startsWith("✗")) cell.error.push(m[2]);
  }
  if (!/^[⚠✗—]/.test(text)) {
    const first = /`([^`]+)`/.exec(text);
    if (!first) throw new Error(`matrix cell states nothing checkable: ${text}`);
    cell.emit = first[1];
  }
  return cell;
}

// ---- which rows a spec exercises ------------------------------------------------------
// A backend speaks TLS when its mapping says <n>/https or the port it maps is declared so.
function tlsBackends(spec) {
  const num = (p) => String(p).split("/")[0];
  const declared = new Set((spec.ports || []).filter((p) => /\/https$/i.test(String(p?.port))).map((p) => num(p.port)));
  return (spec.loadBalancer.mapping || []).map((m) => /\/https$/i.test(String(m?.port)) || declared.has(num(m?.port)));
}

function intents(spec) {
  const lb = spec.loadBalancer;
  const tls = tlsBackends(spec);
  const shared = !!lb.gateway;
  const paths = (lb.mapping || []).flatMap((m) => m?.contextPaths || []);
  const exact = (p) => typeof p === "object" && p?.match === "exact";
  const headers = lb.headers && Object.keys(lb.headers).length > 0;
  const labels = lb.labels && Object.keys(lb.labels).length > 0;
  const stickyObj = lb.sticky && typeof lb.sticky === "object";
  // A named Gateway API implementation replaces the sticky and backend-TLS rows by its own.
  const impl = lb.implementation;
  const on = {
    className: !!lb.className && !shared,
    "no-className": !lb.className && !shared,
    host: !!lb.host && !lb.hosts,
    hosts: Array.isArray(lb.hosts),
    tlsSecret: !!lb.tlsSecret && !shared,
    httpsRedirect: !!lb.tlsSecret && lb.httpsRedirect !== false && !shared,
    "httpsRedirect-false": !!lb.tlsSecret && lb.httpsRedirect === false && !shared,
    sticky: (lb.sticky === true || stickyObj) && !impl,
    "sticky.cookie": stickyObj && !!lb.sticky.cookie && !impl,
    "sticky.ttl": stickyObj && !!lb.sticky.ttl && !impl,
    mapping: paths.some((p) => !exact(p)),
    exact: paths.some(exact),
    headers: !!headers,
    labels: !!labels && !shared,
    "no-labels": !labels && !shared,
    annotations: !!lb.annotations && Object.keys(lb.annotations).length > 0,
    gateway: shared,
    "gateway.sectionName": shared && !!lb.gateway.sectionName,
    "gateway.namespace": shared && !!lb.gateway.namespace && lb.gateway.namespace !== NS,
    "gateway.referenceGrant": shared && lb.gateway.referenceGrant === true && !!lb.tlsSecret &&
      !!lb.gateway.namespace && lb.gateway.namespace !== NS,
    "gateway+tlsSecret": shared && !!lb.tlsSecret,
    backendTLS: tls.length > 0 && tls.every((t) => t) && !impl,
    "backendTLS-mixed": tls.some((t) => t) && !tls.every((t) => t) && !impl,
    "implementation=envoy-gateway": impl === "envoy-gateway",
    "implementation=istio": impl === "istio",
  };
  return Object.keys(on).filter((k) => on[k]);
}

// ---- output checks ----------------------------------------------------------------------
function readTree(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? readTree(join(dir, e.name)) : [readFileSync(join(dir, e.name), "utf8")],
  );
}

function emitted(lines, token) {
  const kv = token.includes(": ");
  return lines.some((raw) => {
    const l = raw.trim().replace(/^(- )+/, "");
    return kv ? l === token : l.startsWith(token + ":");
  });
}

// Fields named by diagnostics of one level: "file:l:c: warning: loadBalancer.x: msg".
function diagFields(stderr, level) {
  const re = new RegExp(`: ${level}: (loadBalancer[^:\\s]*): `, "g");
  return [...stderr.matchAll(re)].map((m) => m[1]);
}

// ---- main -------------------------------------------------------------------------------
const { providers, rows } = parseMatrix(readFileSync(join(ROOT, "README.md"), "utf8"));
const specDir = join(TESTS, "lb", "specs");
const specs = readdirSync(specDir).filter((f) => f.endsWith(".hspec")).map((f) => join(specDir, f));
for (const d of readdirSync(join(TESTS, "golden")).filter((d) => d.startsWith("lb-")).sort())
  for (const f of readdirSync(join(TESTS, "golden", d)).filter((f) => f.endsWith(".hspec")).sort())
    specs.push(join(TESTS, "golden", d, f));

const tmp = mkdtempSync(join(tmpdir(), "hs-matrix-"));
const failures = [];
const rendered = [];
const used = new Set();
let runs = 0;
for (const spec of specs) {
  const doc = YAML.parse(readFileSync(spec, "utf8"));
  const lb = doc.loadBalancer;
  const name = basename(dirname(spec)) === "specs" ? basename(spec, ".hspec") : basename(dirname(spec));
  const active = intents(doc);
  for (const id of active) if (!rows.has(id)) failures.push(`${name}: intent ${id} has no row in the README matrix`);
  for (const p of providers) {
    const cells = active.filter((id) => rows.has(id)).map((id) => [id, rows.get(id)[p]]);
    active.forEach((id) => used.add(id));
    const out = join(tmp, `${name}-${p}`);
    const r = spawnSync(bin, ["generate", "service", "manifests", "-f", spec, "-a", "matrix", "-n", NS,
      "--provider", p, "-O", out], { encoding: "utf8" });
    runs++;
    const where = `${name} --provider ${p}`;
    const errs = diagFields(r.stderr, "error"), warns = diagFields(r.stderr, "warning");
    const wantErr = cells.flatMap(([, c]) => c.error);
    if (wantErr.length) {
      if (r.status !== 1) failures.push(`${where}: expected exit 1 (✗ ${wantErr.join(", ")}), got ${r.status}`);
      for (const f of wantErr)
        if (!errs.includes(f)) failures.push(`${where}: expected an error about ${f}\n${r.stderr}`);
      for (const f of errs)
        if (!wantErr.includes(f)) failures.push(`${where}: error about ${f} is not in the matrix\n${r.stderr}`);
      continue;
    }
    if (r.status !== 0) {
      failures.push(`${where}: exit ${r.status}\n${r.stderr}`);
      continue;
    }
    rendered.push(out);
    const lines = readTree(out).join("\n").split("\n");
    const allowed = new Set(cells.flatMap(([, c]) => c.warn));
    for (const [id, c] of cells) {
      if (c.emit && !emitted(lines, c.emit)) failures.push(`${where}: row ${id} says \`${c.emit}\`, not in the output`);
      for (const f of c.warn)
        if (!warns.includes(f)) failures.push(`${where}: row ${id} says ⚠ ${f}, no such warning\n${r.stderr}`);
      if (id === "annotations")
        for (const k of Object.keys(lb.annotations))
          if (!emitted(lines, k)) failures.push(`${where}: annotation ${k} was not passed through`);
    }
    for (const f of warns)
      if (!allowed.has(f)) failures.push(`${where}: warning about ${f} is not in the matrix row of any intent of the spec\n${r.stderr}`);
  }
}
for (const id of rows.keys()) if (!used.has(id)) failures.push(`matrix row ${id} is not exercised by any spec`);

if (rendered.length) {
  const v = spawnSync("node", [join(TESTS, "schema", "validate.mjs"), "--gateway-channel", "standard", ...rendered],
    { encoding: "utf8" });
  if (v.status !== 0) failures.push(`schema:\n${v.stdout}${v.stderr}`);
  else process.stdout.write(v.stdout);
}
rmSync(tmp, { recursive: true, force: true });
for (const f of failures) console.log(`FAIL: ${f}`);
console.log(`lb-matrix: ${specs.length} specs x ${providers.length} providers = ${runs} renders, ${rows.size} rows, ${failures.length} failures`);
process.exit(failures.length ? 1 : 0);
