// Finds every diagnostic raised in src/: calls of diag_error/diag_warn/diag_note (format is
// the 4th argument), diag_report (the 5th) and the providers' origin_error/origin_warn (the 3rd), with adjacent string literals joined as the
// C compiler joins them. Used by the diagnostic-code test (every format has a code).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const files = (dir) => readdirSync(dir).flatMap((n) => {
  const p = join(dir, n);
  return statSync(p).isDirectory() ? files(p) : p.endsWith('.c') ? [p] : [];
});

// Splits the argument list that starts after '(' at i; returns [args, end].
function args(src, i) {
  const out = []; let cur = ''; let depth = 0;
  for (; i < src.length; i++) {
    const c = src[i];
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (src[j] !== c) j += src[j] === '\\' ? 2 : 1;
      cur += src.slice(i, j + 1); i = j; continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    if (c === ')' || c === ']' || c === '}') { if (depth === 0) { out.push(cur.trim()); return [out, i]; } depth--; }
    if (c === ',' && depth === 0) { out.push(cur.trim()); cur = ''; continue; }
    cur += c;
  }
  return [out, i];
}

// The C string a run of adjacent literals makes, or null when the argument is not literals only.
export function literal(a) {
  const parts = []; let rest = a.replace(/\s+/g, ' ').trim();
  while (rest.startsWith('"')) {
    let j = 1;
    while (rest[j] !== '"') j += rest[j] === '\\' ? 2 : 1;
    parts.push(rest.slice(1, j)); rest = rest.slice(j + 1).trim();
  }
  if (rest !== '' || !parts.length) return null;
  return parts.join('').replace(/\\(["\\'])/g, '$1').replace(/\\n/g, '\n').replace(/\\t/g, '\t');
}

export function diagSites(root) {
  const sites = [];
  for (const f of files(join(root, 'src'))) {
    if (f.endsWith('util/diag.c')) continue;
    const src = readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' '));
    const re = /\b(diag|origin)_(error|warn|note|report)\s*\(/g;
    let m;
    while ((m = re.exec(src))) {
      if (/[\w]$/.test(src.slice(0, m.index))) continue;
      const [a] = args(src, m.index + m[0].length);
      const arg = a[m[1] === 'origin' ? 2 : m[2] === 'report' ? 4 : 3] ?? '';
      const line = src.slice(0, m.index).split('\n').length;
      // cond ? "a" : "b" gives two formats.
      const t = /^[^"?]*\?\s*("(?:[^"\\]|\\.)*"(?:\s*"(?:[^"\\]|\\.)*")*)\s*:\s*("(?:[^"\\]|\\.)*"(?:\s*"(?:[^"\\]|\\.)*")*)$/s.exec(arg);
      const fmts = t ? [literal(t[1]), literal(t[2])] : [literal(arg)];
      for (const fmt of fmts) sites.push({ file: relative(root, f), line, level: m[2], fmt });
    }
  }
  return sites;
}

// The code table of src/util/diag_codes.c: [{ code, fmt }].
export function codeTable(root) {
  const src = readFileSync(join(root, 'src/util/diag_codes.c'), 'utf8');
  return [...src.matchAll(/^\s*\{ "(HS\d{4})", ("(?:[^"\\]|\\.)*") \},$/gm)].map((m) => ({ code: m[1], fmt: literal(m[2]) }));
}
