#!/usr/bin/env node
// Strict schema validation of generated Kubernetes manifests (test tooling only).
//
//   node tests/schema/validate.mjs [--gateway-channel standard|experimental] FILE_OR_DIR...
//
// Why this exists: the kubernetes-models packages ship the real upstream
// schemas (Kubernetes OpenAPI, Istio CRDs, Gateway API and Traefik Go types)
// as precompiled ajv validators, but they are LENIENT: an object schema without
// `additionalProperties: false` accepts any extra key, so a typo such as
// `imagePullPolcy` passes model.validate(). kubectl/the API server would drop
// or reject such a field, so a generator bug would go unnoticed. This script
// makes the check strict.
//
// How strictness works: the packages ship no raw JSON schema, only ajv
// "standalone" code. That code reads every property its schema declares
// (`void 0 !== data.foo`), iterates the keys (`for (k in data)`) of map-like
// objects (additionalProperties / patternProperties, e.g. labels), and reads
// nothing at all from free-form objects (x-kubernetes-preserve-unknown-fields,
// apiextensions JSON, Traefik plugin config). So each document is validated as
// a tree of Proxies that record, per object, which keys the validator read and
// whether it enumerated the keys. Afterwards, in every object that the
// validator inspected property-by-property (read >= 1 key, never enumerated),
// every key it never read is not in the schema -> "unknown field". Objects whose
// keys were enumerated (maps) or that were never inspected (free-form) are not
// flagged. IntOrString (x-kubernetes-int-or-string) is a oneOf of scalars and
// ObjectMeta is a $ref to the apimachinery ObjectMeta validator, so both are
// checked like everything else (metadata typos are caught; labels/annotations
// are maps).
//
// Limits: a property the validator never reads cannot be told apart from an
// unknown one; the only such properties in these packages are listed in
// UNVALIDATED_FIELDS (checked against the .d.ts types of every model). Unknown
// keys inside free-form objects are, by design, not reported.
//
// Removed APIs: kubernetes-models still ships old beta versions
// (extensions/v1beta1, networking.k8s.io/v1beta1 Ingress, autoscaling/v2beta2,
// ...) for backwards compatibility. Every alpha/beta core version it ships is
// one that current Kubernetes no longer serves, so for core Kubernetes only GA
// versions (v1, v2, ...) are accepted. traefik.containo.us is not in the
// Traefik package (only traefik.io), so it is unknown too.
//
// Gateway API channels: @kubernetes-models/gateway-api (Gateway API v1.5.x Go
// types) is ONE schema containing standard AND experimental fields; it does not
// distinguish channels (experimental fields are only tagged
// `<gateway:experimental>` in their descriptions, see the .d.ts files). So the
// standard channel (default) is enforced here explicitly:
//   - GATEWAY_EXPERIMENTAL_FIELDS below lists the fields tagged
//     <gateway:experimental> (selftest.mjs checks that this list still matches
//     the tags in the installed package, so a package upgrade cannot silently
//     make it stale);
//   - alpha API versions and the gateway.networking.x-k8s.io group are
//     experimental-channel only (Gateway API policy: standard = GA + beta);
//   - the HTTPRoute filter `type: ExternalAuth` is experimental-only. The
//     package's enum holds only the standard values although it has the
//     experimental `externalAuth` field, so its enum error for ExternalAuth is
//     dropped and replaced by the channel check (allowed in experimental mode).
// With --gateway-channel experimental all of these are allowed.
//
// YAML is read as YAML 1.1 (like kubectl / sigs.k8s.io/yaml): unquoted
// yes/no/on/off are booleans, so `value: on` in an env var is a type error just
// as the API server would see it. Timestamps stay strings (as in go-yaml).
//
// Output: one line per error, `FILE#DOC (apiVersion kind name): /json/pointer: message`
// where DOC is the 1-based position of the document in the YAML stream (empty
// documents are skipped but counted). Summary: `schema: N documents checked, M failed`.
// Exit 0 = all valid, 1 = some failed, 2 = usage error.

import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseAllDocuments } from "yaml";
import localizeEn from "ajv-i18n/localize/en/index.js";

const HERE = dirname(fileURLToPath(import.meta.url));
const NODE_MODULES = join(HERE, "node_modules");

// ---------------------------------------------------------------------------
// Gateway API experimental-only fields (Gateway API v1.5, as tagged in the
// package). Keys are "<d.ts file>.<property>" (used by the selftest drift
// check); `paths` are where the field appears in a top-level object, `*` is
// any array index.
export const GATEWAY_EXPERIMENTAL_FIELDS = {
  "v1/GatewaySpec.defaultScope": { kinds: ["Gateway"], paths: ["spec.defaultScope"] },
  "v1/CommonRouteSpec.useDefaultGateways": {
    kinds: ["HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "UDPRoute"],
    paths: ["spec.useDefaultGateways"],
  },
  "v1/HTTPRouteRule.retry": { kinds: ["HTTPRoute"], paths: ["spec.rules.*.retry"] },
  "v1/HTTPRouteRule.sessionPersistence": { kinds: ["HTTPRoute"], paths: ["spec.rules.*.sessionPersistence"] },
  "v1/GRPCRouteRule.sessionPersistence": { kinds: ["GRPCRoute"], paths: ["spec.rules.*.sessionPersistence"] },
  "v1/HTTPRouteFilter.externalAuth": {
    kinds: ["HTTPRoute"],
    paths: ["spec.rules.*.filters.*.externalAuth", "spec.rules.*.backendRefs.*.filters.*.externalAuth"],
  },
  // The type HTTPRouteRetryStatusCode is tagged too; it is only used under
  // HTTPRouteRule.retry, which is already rejected.
  "v1/HTTPRouteRetryStatusCode": { kinds: [], paths: [] },
  // The x-k8s.io group's own fields are covered by rejecting the whole group.
  "x/v1alpha1/BackendTrafficPolicySpec.retryConstraint": { kinds: [], paths: [] },
};
const GATEWAY_GROUPS = new Set(["gateway.networking.k8s.io", "gateway.networking.x-k8s.io"]);

// Fields that ARE in the upstream schema (and in the packages' .d.ts types) but
// that the compiled validators never read: the kubernetes-models generator
// strips `description` and `x-kubernetes-*` schema keywords, and with them the
// properties that happen to have those names. Found by comparing, for every
// model type, the properties in its .d.ts with the properties its validator
// reads. Without this list they would be reported as unknown fields.
const UNVALIDATED_FIELDS = [
  { group: "scheduling.k8s.io", kind: "PriorityClass", path: /^\/description$/ },
  { group: "gateway.networking.k8s.io", kind: "GatewayClass", path: /^\/spec\/description$/ },
  { group: "gateway.networking.x-k8s.io", kind: "XMesh", path: /^\/spec\/description$/ },
  { group: "projectcontour.io", kind: "HTTPProxy", path: /^\/status\/description$/ },
  // JSONSchemaProps (recursive), ExternalDocumentation, CustomResourceColumnDefinition
  { group: "apiextensions.k8s.io", kind: "CustomResourceDefinition", path: /\/(description|x-kubernetes-[A-Za-z-]+)$/ },
];

// ---------------------------------------------------------------------------
// Model lookup: apiVersion + kind -> compiled validator (cached).

function packageFor(group) {
  if (group === "" || !group.includes(".") || group.endsWith(".k8s.io") && !GATEWAY_GROUPS.has(group)) {
    return "kubernetes-models";
  }
  if (group.endsWith(".istio.io")) return "@kubernetes-models/istio";
  if (GATEWAY_GROUPS.has(group)) return "@kubernetes-models/gateway-api";
  if (group === "traefik.io") return "@kubernetes-models/traefik";
  if (group === "projectcontour.io") return "@kubernetes-models/contour";
  if (group === "gateway.envoyproxy.io") return "@kubernetes-models/envoy-gateway";
  return null;
}

const validatorCache = new Map();

async function lookupValidator(apiVersion, kind) {
  const key = `${apiVersion} ${kind}`;
  if (validatorCache.has(key)) return validatorCache.get(key);
  const result = await lookupValidatorUncached(apiVersion, kind);
  validatorCache.set(key, result);
  return result;
}

async function lookupValidatorUncached(apiVersion, kind) {
  if (typeof apiVersion !== "string" || typeof kind !== "string") return null;
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(kind)) return null;
  const parts = apiVersion.split("/");
  if (parts.length > 2) return null;
  const [group, version] = parts.length === 2 ? parts : ["", parts[0]];
  if (!/^[a-z0-9.-]*$/.test(group) || !/^v[0-9]+((alpha|beta)[0-9]+)?$/.test(version)) return null;
  const pkg = packageFor(group);
  if (!pkg) return null;
  // Core Kubernetes: only GA versions are current (see header).
  if (pkg === "kubernetes-models" && !/^v[0-9]+$/.test(version)) return null;
  const pkgDir = join(NODE_MODULES, pkg);
  const modelFile = join(pkgDir, group || "", version, `${kind}.js`);
  if (!existsSync(modelFile)) return null;
  const src = readFileSync(modelFile, "utf8");
  // Only top-level kinds carry static apiVersion/kind (DeploymentSpec.js does not).
  const m = /static\{this\.apiVersion="([^"]*)"\}static\{this\.kind="([^"]*)"\}/.exec(src);
  if (!m || m[1] !== apiVersion || m[2] !== kind) return null;
  const schemaImport = /import\{validate\}from"([^"]*_schemas\/[^"]*)"/.exec(src);
  if (!schemaImport) throw new Error(`cannot find schema import in ${modelFile}`);
  const modelMod = await import(pathToFileURL(modelFile).href);
  const cls = modelMod[kind];
  if (!cls || cls.apiVersion !== apiVersion || cls.kind !== kind) return null;
  const schemaMod = await import(pathToFileURL(resolve(dirname(modelFile), schemaImport[1])).href);
  return { validate: schemaMod.validate, model: cls, group, version };
}

// ---------------------------------------------------------------------------
// Strictness: proxy instrumentation.

function escPointer(seg) {
  return String(seg).replace(/~/g, "~0").replace(/\//g, "~1");
}

function instrument(value, path, records) {
  if (Array.isArray(value)) return value.map((v, i) => instrument(v, `${path}/${i}`, records));
  if (value === null || typeof value !== "object") return value;
  const keys = Object.keys(value);
  const rec = { path, keys, read: new Set(), enumerated: false };
  records.push(rec);
  const target = {};
  for (const k of keys) target[k] = instrument(value[k], `${path}/${escPointer(k)}`, records);
  const note = (p) => {
    if (typeof p === "string") rec.read.add(p);
  };
  return new Proxy(target, {
    get(t, p, r) {
      note(p);
      return Reflect.get(t, p, r);
    },
    has(t, p) {
      note(p);
      return Reflect.has(t, p);
    },
    getOwnPropertyDescriptor(t, p) {
      note(p);
      return Reflect.getOwnPropertyDescriptor(t, p);
    },
    ownKeys(t) {
      rec.enumerated = true;
      return Reflect.ownKeys(t);
    },
  });
}

function unknownFieldErrors(records) {
  const errors = [];
  for (const rec of records) {
    if (rec.enumerated || rec.read.size === 0) continue; // map or free-form object
    for (const k of rec.keys) {
      if (!rec.read.has(k)) errors.push({ path: `${rec.path}/${escPointer(k)}`, message: "unknown field" });
    }
  }
  return errors;
}

// ---------------------------------------------------------------------------
// Error formatting.

function getPointer(root, pointer) {
  if (pointer === "") return root;
  let cur = root;
  for (const raw of pointer.split("/").slice(1)) {
    const seg = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (cur === null || typeof cur !== "object") return undefined;
    cur = cur[seg];
  }
  return cur;
}

function describe(v) {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "object") return "object";
  return `${typeof v} ${JSON.stringify(v)}`;
}

function formatAjvErrors(ajvErrors, doc) {
  localizeEn(ajvErrors);
  const out = [];
  for (const e of ajvErrors) {
    const p = e.instancePath || "";
    switch (e.keyword) {
      case "required":
        out.push({ path: `${p}/${escPointer(e.params.missingProperty)}`, message: "required field missing" });
        break;
      case "additionalProperties":
        out.push({ path: `${p}/${escPointer(e.params.additionalProperty)}`, message: "unknown field" });
        break;
      case "type":
        out.push({ path: p || "/", message: `must be ${e.params.type} (got ${describe(getPointer(doc, p))})` });
        break;
      case "enum":
        out.push({
          path: p || "/",
          message: `must be one of ${JSON.stringify(e.params.allowedValues)} (got ${describe(getPointer(doc, p))})`,
        });
        break;
      default:
        out.push({ path: p || "/", message: e.message || `${e.keyword} ${JSON.stringify(e.params)}` });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Gateway API standard channel.

function matchPaths(doc, dotted) {
  // returns JSON pointers of existing values at a dotted path with '*' wildcards
  let cur = [{ v: doc, p: "" }];
  for (const seg of dotted.split(".")) {
    const next = [];
    for (const { v, p } of cur) {
      if (seg === "*") {
        if (Array.isArray(v)) v.forEach((x, i) => next.push({ v: x, p: `${p}/${i}` }));
      } else if (v && typeof v === "object" && !Array.isArray(v) && Object.hasOwn(v, seg)) {
        next.push({ v: v[seg], p: `${p}/${escPointer(seg)}` });
      }
    }
    cur = next;
  }
  return cur;
}

function gatewayStandardErrors(doc, kind) {
  const errors = [];
  for (const { kinds, paths } of Object.values(GATEWAY_EXPERIMENTAL_FIELDS)) {
    if (!kinds.includes(kind)) continue;
    for (const dotted of paths) {
      for (const { p } of matchPaths(doc, dotted)) {
        errors.push({ path: p, message: "experimental-channel field (not in the Gateway API standard channel)" });
      }
    }
  }
  if (kind === "HTTPRoute") {
    for (const dotted of ["spec.rules.*.filters.*.type", "spec.rules.*.backendRefs.*.filters.*.type"]) {
      for (const { v, p } of matchPaths(doc, dotted)) {
        if (v === "ExternalAuth") {
          errors.push({ path: p, message: 'filter type "ExternalAuth" is experimental-channel only' });
        }
      }
    }
  }
  return errors;
}

function isExternalAuthEnumError(err, doc) {
  return (
    err.keyword === "enum" &&
    /\/filters\/\d+\/type$/.test(err.instancePath) &&
    getPointer(doc, err.instancePath) === "ExternalAuth"
  );
}

// ---------------------------------------------------------------------------
// Document / file checking.

export async function checkDocument(doc, { gatewayChannel = "standard" } = {}) {
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
    return [{ path: "/", message: `document must be an object (got ${describe(doc)})` }];
  }
  const { apiVersion, kind } = doc;
  const entry = await lookupValidator(apiVersion, kind);
  if (!entry) {
    return [{ path: "/", message: `no schema for ${apiVersion} ${kind} (removed or unknown API)` }];
  }
  const isGateway = GATEWAY_GROUPS.has(entry.group);
  if (isGateway && gatewayChannel === "standard") {
    if (entry.group === "gateway.networking.x-k8s.io" || /alpha/.test(entry.version)) {
      return [{ path: "/", message: `${apiVersion} ${kind} is experimental-channel only (use --gateway-channel experimental)` }];
    }
  }
  const records = [];
  const proxied = instrument(doc, "", records);
  const ok = entry.validate(proxied);
  let errors = [];
  if (!ok) {
    let ajvErrors = entry.validate.errors || [];
    if (isGateway) {
      // experimental: ExternalAuth is valid; standard: reported by gatewayStandardErrors
      ajvErrors = ajvErrors.filter((e) => !isExternalAuthEnumError(e, doc));
    }
    errors.push(...formatAjvErrors(ajvErrors, doc));
  }
  const unvalidated = UNVALIDATED_FIELDS.filter((u) => u.group === entry.group && u.kind === kind);
  errors.push(...unknownFieldErrors(records).filter((e) => !unvalidated.some((u) => u.path.test(e.path))));
  if (isGateway && gatewayChannel === "standard") errors.push(...gatewayStandardErrors(doc, kind));
  // dedupe identical lines (oneOf branches can repeat an error)
  const seen = new Set();
  return errors.filter((e) => {
    const k = `${e.path}\0${e.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

const YAML_OPTIONS = {
  version: "1.1",
  // go-yaml keeps timestamp-looking scalars as strings when decoding to JSON
  customTags: (tags) => tags.filter((t) => t.tag !== "tag:yaml.org,2002:timestamp"),
  merge: true,
};

export async function checkFile(file, opts = {}) {
  const results = []; // { index, header, errors }
  let src;
  try {
    src = readFileSync(file, "utf8");
  } catch (e) {
    return [{ index: 0, header: "", errors: [{ path: "/", message: `cannot read file: ${e.message}` }] }];
  }
  const docs = parseAllDocuments(src, YAML_OPTIONS);
  const list = Array.isArray(docs) ? docs : [docs];
  let index = 0;
  for (const d of list) {
    index += 1;
    if (d.errors && d.errors.length) {
      results.push({ index, header: "", errors: d.errors.map((e) => ({ path: "/", message: `YAML error: ${e.message.split("\n")[0].replace(/:$/, "")}` })) });
      continue;
    }
    if (d.contents === null) continue; // empty document
    const value = d.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) continue;
    const isObj = typeof value === "object" && !Array.isArray(value);
    const meta = isObj && value.metadata && typeof value.metadata === "object" ? value.metadata : {};
    const name = meta.name ?? meta.generateName ?? "-";
    const header = isObj ? `${value.apiVersion ?? "-"} ${value.kind ?? "-"} ${name}` : "";
    results.push({ index, header, errors: await checkDocument(value, opts) });
  }
  return results;
}

function collectFiles(arg, out) {
  const st = statSync(arg);
  if (st.isDirectory()) {
    for (const ent of readdirSync(arg, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (ent.name === "node_modules") continue;
      const p = join(arg, ent.name);
      if (ent.isDirectory()) collectFiles(p, out);
      else if (/\.ya?ml$/i.test(ent.name)) out.push(p);
    }
  } else {
    out.push(arg);
  }
}

function usage(msg) {
  if (msg) process.stderr.write(`validate.mjs: ${msg}\n`);
  process.stderr.write("usage: node tests/schema/validate.mjs [--gateway-channel standard|experimental] FILE_OR_DIR...\n");
  process.exit(2);
}

export async function main(argv) {
  let gatewayChannel = "standard";
  const paths = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--gateway-channel" || a.startsWith("--gateway-channel=")) {
      const v = a.includes("=") ? a.slice(a.indexOf("=") + 1) : argv[++i];
      if (v !== "standard" && v !== "experimental") usage(`invalid --gateway-channel: ${v}`);
      gatewayChannel = v;
    } else if (a === "-h" || a === "--help") {
      usage();
    } else if (a.startsWith("-") && a !== "-") {
      usage(`unknown option: ${a}`);
    } else {
      paths.push(a);
    }
  }
  if (paths.length === 0) usage("no files or directories given");
  const files = [];
  for (const p of paths) {
    if (!existsSync(p)) usage(`no such file or directory: ${p}`);
    collectFiles(p, files);
  }
  let checked = 0;
  let failed = 0;
  for (const file of files) {
    for (const r of await checkFile(file, { gatewayChannel })) {
      checked += 1;
      if (r.errors.length === 0) continue;
      failed += 1;
      const head = r.header ? `${file}#${r.index} (${r.header})` : `${file}#${r.index}`;
      for (const e of r.errors) process.stdout.write(`${head}: ${e.path || "/"}: ${e.message}\n`);
    }
  }
  process.stdout.write(`schema: ${checked} documents checked, ${failed} failed\n`);
  return failed > 0 ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.stdout.on("error", (e) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 1); // e.g. piped into `head`
    throw e;
  });
  process.exitCode = await main(process.argv.slice(2));
}
