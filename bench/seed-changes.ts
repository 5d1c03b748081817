import { readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type SeedChange = 'edit' | 'add' | 'delete';

/**
 * A published seed near `start`, going back: the generated files are named by date, so the
 * last ones are the newest — the articles a site corrects, and the ones its feeds show.
 */
export function publishedSeed(seeds: string, files: string[], start: number): string {
  for (let k = 0; k < files.length; k++) {
    const name = files[(start - k + files.length) % files.length] ?? '';
    if (!/^published: false/m.test(readFileSync(join(seeds, name), 'utf8'))) return name;
  }
  throw new Error('no published seed in the corpus');
}

export function applyChange(
  change: SeedChange,
  seeds: string,
  name: string,
  r: number,
): () => void {
  const path = join(seeds, name);
  const original = readFileSync(path);
  if (change === 'edit') {
    writeFileSync(path, original.toString('utf8').replace(/^title: "/m, `title: "Edited ${r}: `));
    return () => writeFileSync(path, original);
  }
  if (change === 'add') {
    // The newest article of the site (issue #11 counts what adding one writes): a copy of a
    // recent seed under its own URL, dated a minute after the newest seed in the folder.
    const added = join(seeds, `zz-bench-added-${r}.md`);
    const date = new Date(newestDate(seeds) + 60_000).toISOString().replace('.000Z', 'Z');
    writeFileSync(
      added,
      original
        .toString('utf8')
        .replace(/^webUrl: "([^"]*)"/m, `webUrl: "$1?bench-added=${r}"`)
        .replace(/^publishedDateTime: .*$/m, `publishedDateTime: ${date}`),
    );
    return () => unlinkSync(added);
  }
  unlinkSync(path);
  return () => writeFileSync(path, original);
}

/** The latest `publishedDateTime` among the last seeds of the folder (named by date). */
function newestDate(seeds: string): number {
  let newest = 0;
  for (const name of readdirSync(seeds).sort().slice(-50)) {
    const line = /^publishedDateTime: "?([^"\n]+)"?$/m.exec(
      readFileSync(join(seeds, name), 'utf8'),
    );
    const time = line?.[1] === undefined ? Number.NaN : Date.parse(line[1]);
    if (time > newest) newest = time;
  }
  return newest;
}
