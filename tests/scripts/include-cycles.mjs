// The layers of src/ (spec → validate → model → build → providers → emit, README "Layout")
// must not include each other in a cycle: a cycle means two layers can only change together.
// Reads every #include "…" under src/ and fails on any cycle between the folders.
import { readdirSync, readFileSync } from 'node:fs';
import { join, dirname, resolve, relative } from 'node:path';

const src = resolve(process.argv[2] ?? join(dirname(new URL(import.meta.url).pathname), '../../src'));
const layers = ['spec', 'validate', 'model', 'build', 'providers', 'emit'];
const edges = new Map(layers.map((l) => [l, new Map()]));
const layerOf = (file) => relative(src, file).split('/')[0];

for (const l of layers) {
  for (const f of readdirSync(join(src, l))) {
    const path = join(src, l, f);
    for (const m of readFileSync(path, 'utf8').matchAll(/^\s*#\s*include\s+"([^"]+)"/gm)) {
      const to = layerOf(resolve(dirname(path), m[1]));
      if (to !== l && edges.has(to) && !edges.get(l).has(to)) edges.get(l).set(to, `${l}/${f} includes ${m[1]}`);
    }
  }
}

// Depth-first search for a back edge; print the cycle with the include that makes each step.
const state = new Map();
const stack = [];
let cycles = 0;
function visit(l) {
  state.set(l, 'open');
  stack.push(l);
  for (const [to, why] of edges.get(l)) {
    if (state.get(to) === 'open') {
      const cyc = stack.slice(stack.indexOf(to)).concat(to);
      console.log(`cycle: ${cyc.join(' -> ')}`);
      for (let i = 0; i + 1 < cyc.length; i++) console.log(`  ${edges.get(cyc[i]).get(cyc[i + 1])}`);
      cycles++;
    } else if (!state.has(to)) visit(to);
  }
  stack.pop();
  state.set(l, 'done');
}
for (const l of layers) if (!state.has(l)) visit(l);
for (const [l, m] of edges) console.log(`${l} -> ${[...m.keys()].join(', ') || '(nothing)'}`);
if (cycles) process.exit(1);
console.log('include-cycles: none');
