#!/usr/bin/env node
// Every generated stream reads the same to a YAML 1.1 reader as to a YAML 1.2 one (issue 11).
//
//   node tests/scripts/yaml11.mjs BUILD/hyscale
//
// libfyaml and hyscale read YAML 1.2; go-yaml — kubectl, the API server, Argo CD, Flux,
// kustomize — reads YAML 1.1: U+0085, U+2028 and U+2029 are line breaks to it, and its
// resolver types `on`, `y`, `0755`, `1:20`, `1e3` or dates otherwise. Inputs: specs with
// values built to escape their object that way (the namespace escape of the issue: a
// request header or a prop holding U+2028 added `metadata: {namespace: kube-system}` as
// kubectl read it), and every expected manifest of tests/golden. Readers:
//   - npm `yaml` with {version: '1.2'}: the reference;
//   - npm `yaml` with {version: '1.1'} on the text with U+0085/2028/2029 made line breaks,
//     as go-yaml reads them (npm yaml's 1.1 mode keeps them inside scalars);
//   - kubectl itself when it is installed (`kubectl annotate --local -o json`, which reads
//     as the cluster does); CI machines may lack it, so it is skipped there with a note.
import { readFileSync, readdirSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join, dirname, resolve } from "node:path";
import { tmpdir } from "node:os";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";

const HERE = dirname(fileURLToPath(import.meta.url));
const TESTS = resolve(HERE, "..");
const YAML = createRequire(join(TESTS, "schema", "package.json"))("yaml");
const bin = process.argv[2];
if (!bin) {
  console.error("usage: yaml11.mjs BUILD/hyscale");
  process.exit(2);
}

let failed = 0;
const fail = (what, msg) => {
  failed++;
  console.error(`FAIL ${what}: ${msg}`);
};

const docs = (text, version) => {
  const out = [];
  for (const d of YAML.parseAllDocuments(text, { version, uniqueKeys: false })) {
    if (d.errors.length) throw new Error(d.errors[0].message);
    const js = d.toJS({ maxAliasCount: -1 });
    if (js !== null) out.push(JSON.parse(JSON.stringify(js)));
  }
  return out;
};
const goYamlBreaks = (text) => text.replace(/[\u0085\u2028\u2029]/g, "\n");

const kubectl = spawnSync("kubectl", ["version", "--client"], { encoding: "utf8" }).status === 0;
if (!kubectl) console.log("yaml11: kubectl not installed; checking with npm yaml only");

function kubectlRead(text) {
  const r = spawnSync("kubectl", ["annotate", "--local", "-f", "-", "hyscale-yaml11=1", "-o", "json"], {
    input: text, encoding: "utf8", env: { ...process.env, KUBECONFIG: "/dev/null" },
  });
  if (r.status !== 0) throw new Error(r.stderr.trim());
  // One JSON object per input document, one after the other.
  const items = [];
  let depth = 0, start = 0, str = false, esc = false;
  for (let i = 0; i < r.stdout.length; i++) {
    const c = r.stdout[i];
    if (str) {
      if (esc) esc = false;
      else if (c === "\\") esc = true;
      else if (c === '"') str = false;
    } else if (c === '"') str = true;
    else if (c === "{") depth++ || (start = i);
    else if (c === "}" && --depth === 0) items.push(JSON.parse(r.stdout.slice(start, i + 1)));
  }
  for (const o of items) {
    delete o.metadata.annotations["hyscale-yaml11"];
    if (!Object.keys(o.metadata.annotations).length) delete o.metadata.annotations;
  }
  return items;
}

// One stream through every reader; returns the objects as YAML 1.2 reads them.
function check(what, text, withKubectl = true) {
  let ref;
  try {
    ref = docs(text, "1.2");
  } catch (e) {
    fail(what, `YAML 1.2: ${e.message}`);
    return null;
  }
  try {
    const v11 = docs(goYamlBreaks(text), "1.1");
    if (!isDeepStrictEqual(v11, ref))
      fail(what, `YAML 1.1 reads another document:\n${JSON.stringify(v11).slice(0, 600)}\nYAML 1.2:\n${JSON.stringify(ref).slice(0, 600)}`);
  } catch (e) {
    fail(what, `YAML 1.1 cannot read it: ${e.message}`);
  }
  if (kubectl && withKubectl) {
    try {
      const k = kubectlRead(text);
      if (!isDeepStrictEqual(k, ref))
        fail(what, `kubectl reads another document:\n${JSON.stringify(k).slice(0, 600)}`);
    } catch (e) {
      fail(what, `kubectl cannot read it: ${e.message}`);
    }
  }
  return ref;
}

// ---- values built to escape their object ------------------------------------------
const ESC = (sep) => `a${sep}metadata:${sep}  namespace: kube-system${sep}  name: evil`;
const base = "name: web\nimage:\n  name: nginx\n  tag: \"1.27\"\nexternal: true\nports:\n  - port: 8080/http\n";
const lb = (provider, extra) =>
  `loadBalancer:\n  provider: ${provider}\n  host: shop.example.com\n  className: web\n  labels: {istio: ingressgateway}\n` +
  `  mapping:\n    - port: 8080/http\n      contextPaths: [/]\n${extra}`;
const q = (s) => JSON.stringify(s); // a YAML double-quoted scalar: \u escapes in the spec file
const specs = [];
for (const [name, sep] of [["LS", "\u2028"], ["PS", "\u2029"], ["NEL", "\u0085"]]) {
  for (const p of ["nginx", "traefik", "istio", "gateway"]) {
    specs.push([`header-${name}-${p}`, base + lb(p, `  headers:\n    X-A: ${q(ESC(sep))}\n`)]);
    specs.push([`annotation-${name}-${p}`, base + lb(p, `  annotations:\n    example.com/a: ${q(ESC(sep) + "\n")}\n`)]);
  }
  specs.push([`props-${name}`, base + `props:\n  A: ${q(ESC(sep))}\n  B: ${q(ESC(sep) + "\n")}\npropsVolumePath: /etc/web\n`]);
  specs.push([`secret-${name}`, base + `secrets:\n  A: ${q(ESC(sep) + "\n")}\nsecretsVolumePath: /etc/secret\n`]);
}
// Values a YAML 1.1 resolver types otherwise, as props and annotations (always strings here).
const typed = ["on", "y", "N", "0755", "1_000", "1:20", "1e3", "2001-12-14", "<<", "=", "~", "0o17", ".5", "0x1F"];
specs.push(["typed-props", base + "props:\n" + typed.map((v, i) => `  K${i}: ${q(v)}\n`).join("") + "propsVolumePath: /etc/web\n"]);
specs.push(["typed-annotations", base + lb("nginx", "  annotations:\n" + typed.map((v, i) => `    example.com/k${i}: ${q(v)}\n`).join(""))]);

const tmp = mkdtempSync(join(tmpdir(), "hs-yaml11-"));
let hostile = "";
try {
  for (const [name, text] of specs) {
    const f = join(tmp, "web.hspec");
    writeFileSync(f, text);
    const r = spawnSync(bin, ["generate", "service", "manifests", "-f", f, "-a", "shop", "-n", "shop", "--stdout"],
      { encoding: "utf8" });
    if (r.status !== 0) {
      fail(name, `hyscale exit ${r.status}: ${r.stderr}`);
      continue;
    }
    const objs = check(name, r.stdout, false);
    hostile += r.stdout.startsWith("---") ? r.stdout : "---\n" + r.stdout;
    for (const o of objs ?? [])
      if (o.metadata?.namespace !== "shop" || o.metadata?.name === "evil") fail(name, `object moved: ${JSON.stringify(o.metadata)}`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

// kubectl once on all of them (a process per spec costs half a second each).
if (kubectl && hostile) check("hostile specs (all, one stream)", hostile);

// ---- every golden manifest --------------------------------------------------------
const golden = join(TESTS, "golden");
let files = 0;
let stream = "";
for (const c of readdirSync(golden).sort()) {
  const exp = join(golden, c, "expected");
  if (!existsSync(exp)) continue;
  const yamls = [];
  for (const d of readdirSync(exp, { withFileTypes: true }))
    if (d.isDirectory()) for (const f of readdirSync(join(exp, d.name)).sort()) if (f.endsWith(".yaml")) yamls.push(join(d.name, f));
  for (const f of yamls.sort()) {
    const text = readFileSync(join(exp, f), "utf8");
    files++;
    check(`golden ${c}/${f}`, text, false);
    stream += (text.startsWith("---") ? "" : "---\n") + text;
  }
}
// kubectl once more on all of them together (one process instead of hundreds).
if (kubectl && files) check("golden (all, one stream)", stream);

// ---- the YAML writer's property corpus -------------------------------------------
// tests/unit/test_yaml_write.c proves each string it writes reads back under libfyaml and
// the YAML 1.1 rules in C; here the same ~80,000 documents go through npm yaml 1.2 and 1.1
// one by one, and kubectl on every 40th (one process for all of those).
const writer = join(dirname(resolve(bin)), "tests", "test_yaml_write");
let corpusDocs = 0;
if (existsSync(writer)) {
  const tmp = mkdtempSync(join(tmpdir(), "hs-yaml11-"));
  const cf = join(tmp, "corpus.yaml");
  const r = spawnSync(writer, [], { env: { ...process.env, HS_YAML_WRITE_CORPUS: cf }, encoding: "utf8" });
  if (r.status !== 0) fail("test_yaml_write", r.stdout + r.stderr);
  else {
    const parts = readFileSync(cf, "utf8").split(/^---\n/m).filter((t) => t.length);
    // npm yaml's 1.1 mode reads `e6` as a float with no digits before the exponent (NaN);
    // YAML 1.1's float pattern needs a '.', and go-yaml and kubectl read a string. Such
    // documents go to kubectl, the reader of record, instead.
    const npmQuirk = /^[eE][0-9]+$/;
    let sample = "", quirks = "";
    for (const [i, t] of parts.entries()) {
      corpusDocs++;
      const ref = docs(t, "1.2");
      const k = ref[0]?.data?.k;
      if (typeof k === "string" && npmQuirk.test(k)) quirks += "---\n" + t;
      else check(`writer corpus #${i}`, t, false);
      if (i % 40 === 0) sample += "---\n" + t;
      if (failed > 20) break;
    }
    if (kubectl && sample) check("writer corpus (every 40th, one stream)", sample);
    if (kubectl && quirks) {
      try {
        if (!isDeepStrictEqual(kubectlRead(quirks), docs(quirks, "1.2")))
          fail("writer corpus (e6, E1, ...)", "kubectl reads another document");
      } catch (e) {
        fail("writer corpus (e6, E1, ...)", `kubectl cannot read it: ${e.message}`);
      }
    }
  }
  rmSync(tmp, { recursive: true, force: true });
} else console.log(`yaml11: ${writer} not built; writer corpus skipped`);

console.log(`yaml11: ${specs.length} hostile specs, ${files} golden manifests, ${corpusDocs} writer documents${kubectl ? ", kubectl too" : ""}: ${failed ? failed + " failed" : "all read alike"}`);
process.exit(failed ? 1 : 0);
