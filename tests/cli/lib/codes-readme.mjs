// Prints the README's diagnostic-code table rows from src/util/diag_codes.c:
//   node tests/cli/lib/codes-readme.mjs   (paste between "| code | message |" and the section end)
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { codeTable } from './diag-sites.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
for (const c of codeTable(root))
  console.log(`| \`${c.code}\` | ${c.fmt.replace(/\|/g, '\\|').replace(/\n/g, ' ').replace(/`/g, '\\`')} |`);
