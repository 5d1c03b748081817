// Where the tests find seeds beyond their own fixtures: the repository's seeds, the real
// corpora and generator beside it in ../shared (a user's clone has no ../shared: tests
// that need it skip and say why).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SHARED = join(import.meta.dirname, '../../../shared');

export const haveShared = statSync(SHARED, { throwIfNoEntry: false })?.isDirectory() === true;

/** Every seed-named file under `dir`, recursively. */
export function seedFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory()
      ? seedFiles(path)
      : /\.(md|markdown|txt)$/.test(name)
        ? [path]
        : [];
  });
}

/** The repository's own seeds: `seeds/` and `tests/fixtures/`. */
export function repositorySeeds(): string[] {
  return [
    ...seedFiles(join(import.meta.dirname, '../../seeds')),
    ...seedFiles(join(import.meta.dirname, '../fixtures')),
  ];
}

/** The two real corpora's seeds (needs ../shared). */
export function realCorpusSeeds(): string[] {
  return ['corpus/powerapps', 'corpus/ai'].flatMap((c) => seedFiles(join(SHARED, c)));
}

/** `count` seeds from ../shared's generator, in a new temporary folder; returns it. */
export function generateSeeds(count: number, seed: number): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'edgefeed-generated-')), 'seeds');
  execFileSync(process.execPath, [
    join(SHARED, 'tools/gen-corpus.mjs'),
    ...['--count', String(count), '--out', dir, '--seed', String(seed)],
  ]);
  return dir;
}
