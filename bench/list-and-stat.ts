// The floor of a new-process rebuild (issue 17): a Node process that only lists the seeds
// folder and stats every seed, as a build must to know what changed. Run by run-bench.ts
// beside the rebuild, in the same run: `node bench/list-and-stat.ts DIR`.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] ?? 'seeds';
let files = 0;
for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile()) continue;
  statSync(join(entry.parentPath, entry.name));
  files++;
}
console.log(`${files} seeds listed and stat'ed`);
