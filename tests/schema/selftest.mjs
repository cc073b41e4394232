#!/usr/bin/env node
// Self-test of the strict schema checker (validate.mjs): proves it CAN fail.
//
//   node tests/schema/selftest.mjs
//
// Why: a schema check that silently accepts everything is worse than none.
// The model packages' own validate() ignores unknown fields, and the Gateway
// API package mixes standard and experimental channel fields, so validate.mjs
// adds strictness and a channel restriction on top. This script runs the real
// CLI (as a subprocess, so exit codes and output format are tested too) on the
// fixtures in tests/schema/fixtures/:
//   valid/         must pass, in both Gateway API channels
//   invalid/       each file must fail; `# expect: TEXT` lines must each appear
//                  in the output, `# expect-errors: N` is the exact number of
//                  error lines (guards against false positives next to the
//                  intended error)
//   experimental/  must fail with --gateway-channel standard (the default),
//                  output containing each `# expect-standard: TEXT`, and pass
//                  with --gateway-channel experimental
// It also checks usage errors (exit 2) and that validate.mjs's list of
// experimental-only Gateway API fields still matches the `<gateway:experimental>`
// tags in the installed @kubernetes-models/gateway-api (so an upgrade of the
// package cannot silently make the standard-channel restriction stale), and
// that every property declared in the packages' .d.ts types is actually read by
// the compiled validators (the assumption behind the strictness mechanism).
// Prints `selftest: N passed, M failed`; exits 1 if anything failed.

import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync, mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { join, dirname, relative } from "node:path";
import { tmpdir } from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import { GATEWAY_EXPERIMENTAL_FIELDS } from "./validate.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const VALIDATE = join(HERE, "validate.mjs");
const FIX = join(HERE, "fixtures");

let passed = 0;
let failed = 0;

function check(name, ok, detail = "") {
  if (ok) {
    passed += 1;
    console.log(`ok   ${name}`);
  } else {
    failed += 1;
    console.log(`FAIL ${name}${detail ? `\n${detail.replace(/^/gm, "     | ")}` : ""}`);
  }
}

function run(args) {
  const r = spawnSync(process.execPath, [VALIDATE, ...args], { encoding: "utf8" });
  return { code: r.status, out: r.stdout + r.stderr };
}

function yamlFiles(dir) {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}

function directives(file, key) {
  const re = new RegExp(`^# ${key}: (.*)$`, "gm");
  return [...readFileSync(file, "utf8").matchAll(re)].map((m) => m[1].trim());
}

function errorLines(out) {
  return out.split("\n").filter((l) => /#\d+( \(.*?\))?: \//.test(l));
}

const rel = (f) => relative(HERE, f);

// 1. valid fixtures pass (both channels): Deployment, StatefulSet, Service,
//    ConfigMap, Secret, Ingress v1, NetworkPolicy, HPA v2, Istio v1 Gateway,
//    VirtualService, DestinationRule, Gateway API v1 Gateway + HTTPRoute,
//    ReferenceGrant v1beta1, Traefik Middleware.
for (const channel of ["standard", "experimental"]) {
  for (const f of yamlFiles(join(FIX, "valid"))) {
    const r = run(["--gateway-channel", channel, f]);
    check(`valid (${channel}): ${rel(f)} passes`, r.code === 0 && /, 0 failed$/m.test(r.out), r.out);
  }
}
{
  // directory recursion + default channel + summary line
  const r = run([join(FIX, "valid")]);
  const n = yamlFiles(join(FIX, "valid")).length;
  check(
    `valid: directory of ${n} files passes with summary line`,
    r.code === 0 && /^schema: \d+ documents checked, 0 failed$/m.test(r.out),
    r.out,
  );
}

// 2. invalid fixtures fail with the expected messages.
for (const f of yamlFiles(join(FIX, "invalid"))) {
  const r = run([f]);
  const expects = directives(f, "expect");
  const count = directives(f, "expect-errors");
  const missing = expects.filter((e) => !r.out.includes(e));
  const lines = errorLines(r.out);
  const countOk = count.length === 0 || lines.length === Number(count[0]);
  check(
    `invalid: ${rel(f)} fails${expects.length ? ` with ${JSON.stringify(expects[0])}` : ""}`,
    r.code === 1 && expects.length > 0 && missing.length === 0 && countOk && /, [1-9]\d* failed$/m.test(r.out),
    `exit=${r.code}; missing=${JSON.stringify(missing)}; error lines=${lines.length} (want ${count[0] ?? "any"})\n${r.out}`,
  );
}

// 3. experimental-only fixtures: fail in standard (default and explicit), pass in experimental.
for (const f of yamlFiles(join(FIX, "experimental"))) {
  const expects = directives(f, "expect-standard");
  for (const args of [[f], ["--gateway-channel", "standard", f]]) {
    const r = run(args);
    const missing = expects.filter((e) => !r.out.includes(e));
    check(
      `experimental-only: ${rel(f)} fails with ${args.length > 1 ? "--gateway-channel standard" : "default channel"}`,
      r.code === 1 && expects.length > 0 && missing.length === 0,
      `exit=${r.code}; missing=${JSON.stringify(missing)}\n${r.out}`,
    );
  }
  const r = run(["--gateway-channel", "experimental", f]);
  check(`experimental-only: ${rel(f)} passes with --gateway-channel experimental`, r.code === 0, r.out);
}

// 4. a mixed directory: one bad document makes the whole run fail, all docs counted.
{
  const tmp = mkdtempSync(join(tmpdir(), "schema-selftest-"));
  try {
    writeFileSync(join(tmp, "ok.yml"), readFileSync(join(FIX, "valid", "traefik.yaml")));
    writeFileSync(join(tmp, "bad.yaml"), readFileSync(join(FIX, "invalid", "deployment-typo.yaml")));
    writeFileSync(join(tmp, "ignored.txt"), "not: [yaml");
    const r = run([tmp]);
    check(
      "mixed directory: fails, counts all documents, ignores non-YAML files",
      r.code === 1 && /^schema: 5 documents checked, 1 failed$/m.test(r.out) && /imagePullPolcy: unknown field/.test(r.out),
      r.out,
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

// 5. usage errors exit 2.
for (const args of [[], ["--gateway-channel", "beta", FIX], ["--bogus", FIX], [join(FIX, "does-not-exist.yaml")]]) {
  const r = run(args);
  check(`usage error exits 2: ${JSON.stringify(args.map((a) => (a.startsWith(HERE) ? rel(a) : a)))}`, r.code === 2, r.out);
}

// 6. drift check: every <gateway:experimental> field/type tag in the installed
//    gateway-api package is listed in validate.mjs, and nothing else is.
{
  const pkg = join(HERE, "node_modules", "@kubernetes-models", "gateway-api");
  const tagged = new Set();
  for (const [dir, prefix] of [
    ["gateway.networking.k8s.io", ""],
    ["gateway.networking.x-k8s.io", "x/"],
  ]) {
    for (const version of readdirSync(join(pkg, dir), { withFileTypes: true }).filter((e) => e.isDirectory())) {
      for (const file of readdirSync(join(pkg, dir, version.name)).filter((f) => f.endsWith(".d.ts"))) {
        const src = readFileSync(join(pkg, dir, version.name, file), "utf8");
        const type = `${prefix}${version.name}/${file.replace(/\.d\.ts$/, "")}`;
        // the bare tag (not :description / :validation variants) closes a doc comment,
        // followed by either a property or a type declaration
        for (const m of src.matchAll(/<gateway:experimental>\s*\*\/\s*(?:"([^"]+)"\??:|export type)/g)) {
          tagged.add(m[1] ? `${type}.${m[1]}` : type);
        }
      }
    }
  }
  const listed = new Set(Object.keys(GATEWAY_EXPERIMENTAL_FIELDS));
  const notListed = [...tagged].filter((k) => !listed.has(k));
  const stale = [...listed].filter((k) => !tagged.has(k));
  check(
    `gateway-api: ${tagged.size} <gateway:experimental> tags match GATEWAY_EXPERIMENTAL_FIELDS`,
    tagged.size > 0 && notListed.length === 0 && stale.length === 0,
    `tagged but not listed: ${JSON.stringify(notListed)}\nlisted but not tagged: ${JSON.stringify(stale)}`,
  );
}

// 7. drift check for the strictness mechanism: for every model type of the
//    per-type packages, each property declared in its .d.ts must be read by its
//    compiled validator (otherwise validate.mjs would report it as an unknown
//    field). The only exceptions are the ones validate.mjs allows in
//    UNVALIDATED_FIELDS (the generator strips properties named `description` /
//    `x-kubernetes-*`). Istio's nested inline types are not covered by this
//    check (its .d.ts declares no such property names at all).
{
  const NM = join(HERE, "node_modules");
  const EXPECTED_UNREAD = [
    "@kubernetes-models/contour/projectcontour.io/v1/HTTPProxyStatus: description",
    "kubernetes-models/apiextensions.k8s.io/v1/CustomResourceColumnDefinition: description",
    "kubernetes-models/apiextensions.k8s.io/v1/ExternalDocumentation: description",
    "kubernetes-models/apiextensions.k8s.io/v1/JSONSchemaProps: description,x-kubernetes-embedded-resource,x-kubernetes-int-or-string,x-kubernetes-list-map-keys,x-kubernetes-list-type,x-kubernetes-map-type,x-kubernetes-preserve-unknown-fields,x-kubernetes-validations",
    "kubernetes-models/apiextensions.k8s.io/v1beta1/CustomResourceColumnDefinition: description",
    "kubernetes-models/apiextensions.k8s.io/v1beta1/ExternalDocumentation: description",
    "kubernetes-models/apiextensions.k8s.io/v1beta1/JSONSchemaProps: description,x-kubernetes-embedded-resource,x-kubernetes-int-or-string,x-kubernetes-list-map-keys,x-kubernetes-list-type,x-kubernetes-map-type,x-kubernetes-preserve-unknown-fields",
    "kubernetes-models/scheduling.k8s.io/v1/PriorityClass: description",
    "kubernetes-models/scheduling.k8s.io/v1beta1/PriorityClass: description",
    "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/GatewayClassSpec: description",
    "@kubernetes-models/gateway-api/gateway.networking.x-k8s.io/v1alpha1/MeshSpec: description",
  ];
  const walk = (d, out) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== "_schemas" && e.name !== "dist" && e.name !== "node_modules") walk(p, out);
      } else if (e.name.endsWith(".js") && e.name !== "index.js") out.push(p);
    }
  };
  const unread = [];
  let types = 0;
  for (const pkg of ["kubernetes-models", "@kubernetes-models/apimachinery", "@kubernetes-models/gateway-api", "@kubernetes-models/traefik", "@kubernetes-models/contour", "@kubernetes-models/envoy-gateway"]) {
    const files = [];
    walk(join(NM, pkg), files);
    for (const f of files) {
      const m = /import\{validate\}from"([^"]*_schemas\/[^"]*)"/.exec(readFileSync(f, "utf8"));
      if (!m) continue;
      const dts = readFileSync(f.replace(/\.js$/, ".d.ts"), "utf8");
      const start = dts.indexOf("export interface ");
      if (start < 0) continue;
      const props = [];
      for (const line of dts.slice(start).split("\n").slice(1)) {
        if (line.startsWith("}")) break;
        const pm = /^ {4}"([^"]+)"\??:/.exec(line);
        if (pm) props.push(pm[1]);
      }
      if (props.length === 0) continue;
      const { validate } = await import(pathToFileURL(join(dirname(f), m[1])).href);
      const read = new Set();
      let enumerated = false;
      const note = (p) => typeof p === "string" && read.add(p);
      validate(
        new Proxy({}, {
          get: (t, p, r) => (note(p), Reflect.get(t, p, r)),
          has: (t, p) => (note(p), Reflect.has(t, p)),
          getOwnPropertyDescriptor: (t, p) => (note(p), Reflect.getOwnPropertyDescriptor(t, p)),
          ownKeys: (t) => ((enumerated = true), Reflect.ownKeys(t)),
        }),
      );
      types += 1;
      const missing = props.filter((p) => !read.has(p));
      if (!enumerated && missing.length) {
        unread.push(`${relative(NM, f).replace(/\.js$/, "")}: ${missing.join(",")}`);
      }
    }
  }
  const unexpected = unread.filter((u) => !EXPECTED_UNREAD.includes(u));
  const gone = EXPECTED_UNREAD.filter((u) => !unread.includes(u));
  check(
    `strictness: all .d.ts properties of ${types} model types are read by their validators (except the known ${EXPECTED_UNREAD.length})`,
    types > 1000 && unexpected.length === 0 && gone.length === 0,
    `unexpected (update UNVALIDATED_FIELDS in validate.mjs): ${JSON.stringify(unexpected, null, 1)}\nno longer unread: ${JSON.stringify(gone, null, 1)}`,
  );
}

console.log(`selftest: ${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
