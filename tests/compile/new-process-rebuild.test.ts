// A new `npm run build` process after changes: it restores the last build from the cache
// folder's snapshot and journal, and its build is a cold build's, byte for byte (issue 17).
import { execFile } from 'node:child_process';
import {
  appendFile,
  cp,
  mkdir,
  mkdtemp,
  readFile,
  rename,
  rm,
  stat,
  truncate,
  unlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { JOURNAL_FILE } from '../../src/compile/cache/site-journal.ts';
import { SNAPSHOT_FILE } from '../../src/compile/cache/site-snapshot.ts';
import { SiteStateHeaderSchema } from '../../src/compile/cache/site-state-schema.ts';
import { openStateFile, writeStateFile } from '../../src/compile/cache/state-file.ts';
import { compileBuild } from '../../src/compile/compile-build.ts';
import { parseBuildArgs } from '../../src/compile/parse-build-args.ts';
import { seedText } from '../support/seed-folder.ts';

const CLI = join(import.meta.dirname, '../../src/compile/cli.ts');
const PROVIDERS = ['a.example', 'b.example', 'c.example'];
const TOPICS = ['AI', 'Cloud', 'Edge', 'Chips'];

/** Seed `i` of the test site: three providers, four topics, a day apart. */
function seed(i: number, fields: { title?: string; day?: number; excerpt?: string } = {}) {
  return seedText({
    url: `https://${PROVIDERS[i % 3]}/story-${i}`,
    domain: PROVIDERS[i % 3],
    provider: `Provider ${i % 3}`,
    date: `2021-0${1 + Math.floor((fields.day ?? i) / 28)}-${String(1 + ((fields.day ?? i) % 28)).padStart(2, '0')}T08:00:00Z`,
    topics: [TOPICS[i % 4] ?? 'AI', ...(i % 5 === 0 ? ['Edge'] : [])],
    title: fields.title ?? `Story ${i}`,
    ...(fields.excerpt === undefined ? {} : { excerpt: fields.excerpt }),
  });
}

const name = (i: number) => `s${String(i).padStart(3, '0')}.md`;

/**
 * A site of 60 seeds with page size 5 (sealed archive pages in every feed) in a fresh
 * folder; its seeds folder dated a minute back, so that a build may reuse its listing.
 */
async function site() {
  const dir = await mkdtemp(join(tmpdir(), 'edgefeed-new-process-'));
  const seeds = join(dir, 'seeds');
  await mkdir(seeds);
  for (let i = 0; i < 60; i++) await writeFile(join(seeds, name(i)), seed(i));
  await backdate(seeds);
  const args = (extra: string[] = []) => [
    ...['--seeds', seeds, '--out', join(dir, 'out'), '--cache-dir', join(dir, 'cache')],
    ...['--page-size', '5', '--quiet', ...extra],
  ];
  return {
    dir,
    seeds,
    cache: join(dir, 'cache'),
    /** A build in a new process; its build id, what it printed, and whether it regrouped. */
    async build(extra: string[] = [], env: Record<string, string> = {}) {
      const { stdout, stderr } = await promisify(execFile)(
        process.execPath,
        [CLI, ...args(extra)],
        { env: { ...process.env, EDGEFEED_TIMING: '1', ...env } },
      );
      const record = JSON.parse(await readFile(join(dir, 'out', 'build.json'), 'utf8'));
      return {
        id: record.buildId as string,
        stdout,
        stderr,
        // compileSite's phases: the site was listed, resolved and grouped again.
        regrouped: stderr.includes('timing resolve topics'),
      };
    },
    /** The id of a cold build of the seeds as they are now (no cache, in this process). */
    async coldId(extra: string[] = []) {
      const options = parseBuildArgs([...args(extra), '--no-cache']);
      if (options === 'help') throw new Error('unreachable');
      return (await compileBuild(options)).build.record.buildId;
    },
  };
}

/** Dates a folder a minute back: a listing taken now is then not racy (find-changed-seeds.ts). */
async function backdate(folder: string) {
  const past = new Date(Date.now() - 60_000);
  await utimes(folder, past, past);
}

describe('a new build process after changes', () => {
  it('after one edit, replans only what shows it and builds what a cold build does', async () => {
    const s = await site();
    const first = await s.build();
    expect(first.regrouped).toBe(true);
    await writeFile(join(s.seeds, name(59)), seed(59, { title: 'Story 59, corrected' }));
    const after = await s.build();
    expect(after.regrouped).toBe(false);
    expect(after.stderr).toContain('listing reused');
    expect(after.stdout).toContain('cache: 1 seeds read');
    expect(after.id).not.toBe(first.id);
    expect(after.id).toBe(await s.coldId());
    // The rebuild appended to the journal rather than rewrite the snapshot.
    expect((await readFile(join(s.cache, JOURNAL_FILE))).length).toBeGreaterThan(0);
    // An editor that saves by writing a new file and renaming it over the old one changes
    // the folder: it is listed again, and the edit still costs what it touches.
    await writeFile(join(s.dir, 'new.md'), seed(59, { title: 'Story 59, saved by rename' }));
    await rename(join(s.dir, 'new.md'), join(s.seeds, name(59)));
    const renamed = await s.build();
    expect(renamed.stderr).toContain('listed again');
    expect(renamed.regrouped).toBe(false);
    expect(renamed.id).toBe(await s.coldId());
    await rm(s.dir, { recursive: true, force: true });
  });

  it('after several edits, over several builds, each matches a cold build', async () => {
    const s = await site();
    await s.build();
    await writeFile(join(s.seeds, name(3)), seed(3, { title: 'Old story, corrected' }));
    await writeFile(join(s.seeds, name(40)), seed(40, { excerpt: 'A new excerpt.' }));
    await writeFile(join(s.seeds, name(58)), seed(58, { title: 'Newest but one, corrected' }));
    const second = await s.build();
    expect(second.regrouped).toBe(false);
    expect(second.id).toBe(await s.coldId());
    await writeFile(join(s.seeds, name(58)), seed(58, { title: 'Corrected twice' }));
    // Stats in a thread (as on a big site): it compares with the snapshot's signatures,
    // which the journal has since moved on for seeds 3, 40 and 58.
    const third = await s.build([], { EDGEFEED_STAT_THREAD_FROM: '1' });
    expect(third.regrouped).toBe(false);
    expect(third.stderr).toContain('listing reused');
    expect(third.stdout).toContain('cache: 1 seeds read');
    expect(third.id).toBe(await s.coldId());
    // Unchanged seeds: the journal's two entries restore the same build.
    const fourth = await s.build();
    expect(fourth.id).toBe(third.id);
    expect(fourth.stdout).toContain('0 documents rendered');
    await rm(s.dir, { recursive: true, force: true });
  });

  it('after an addition, a deletion and a moved date, regroups and matches a cold build', async () => {
    const s = await site();
    await s.build();
    await writeFile(join(s.seeds, name(60)), seed(60));
    const added = await s.build();
    expect(added.regrouped).toBe(true);
    expect(added.id).toBe(await s.coldId());
    await backdate(s.seeds);
    await unlink(join(s.seeds, name(17)));
    const deleted = await s.build();
    expect(deleted.regrouped).toBe(true);
    expect(deleted.id).toBe(await s.coldId());
    await backdate(s.seeds);
    await writeFile(join(s.seeds, name(30)), seed(30, { day: 55 }));
    const moved = await s.build();
    expect(moved.regrouped).toBe(true);
    expect(moved.id).toBe(await s.coldId());
    // And the snapshot the regrouped build wrote serves the next edit.
    await writeFile(join(s.seeds, name(30)), seed(30, { day: 55, title: 'Moved, then corrected' }));
    const edited = await s.build();
    expect(edited.regrouped).toBe(false);
    expect(edited.id).toBe(await s.coldId());
    await rm(s.dir, { recursive: true, force: true });
  });

  it('with an empty --out and --changed-only (a CI job), builds what a cold build does', async () => {
    const s = await site();
    await s.build();
    await rm(join(s.dir, 'out'), { recursive: true, force: true });
    await writeFile(join(s.seeds, name(59)), seed(59, { title: 'Edited in CI' }));
    const ci = await s.build(['--changed-only']);
    expect(ci.regrouped).toBe(false);
    expect(ci.id).toBe(await s.coldId());
    // Without --changed-only the store must hold every body: the site is planned again.
    await rm(join(s.dir, 'out'), { recursive: true, force: true });
    await writeFile(join(s.seeds, name(59)), seed(59, { title: 'Edited in CI again' }));
    const full = await s.build();
    expect(full.regrouped).toBe(true);
    expect(full.id).toBe(await s.coldId());
    await rm(s.dir, { recursive: true, force: true });
  });
});

describe('a cache that cannot serve a build', () => {
  const line = (reason: string) => `edgefeed build: cache ignored (${reason}); building everything`;

  it('written for another --site-url or --page-size: ignored whole, saying why', async () => {
    const s = await site();
    await s.build();
    const url = await s.build(['--site-url', 'https://elsewhere.example']);
    expect(url.stderr).toContain(line('written for another --site-url, http://127.0.0.1:8787'));
    expect(url.regrouped).toBe(true);
    expect(url.id).toBe(await s.coldId(['--site-url', 'https://elsewhere.example']));
    const size = await s.build(['--site-url', 'https://elsewhere.example', '--page-size', '7']);
    expect(size.stderr).toContain(line('written for another --page-size, 5'));
    expect(size.id).toBe(
      await s.coldId(['--site-url', 'https://elsewhere.example', '--page-size', '7']),
    );
    const again = await s.build(['--site-url', 'https://elsewhere.example', '--page-size', '7']);
    expect(again.stderr).not.toContain('cache ignored');
    await rm(s.dir, { recursive: true, force: true });
  });

  it('reads back, as its schema says, the header a build wrote (a rebuild trusts it unparsed)', async () => {
    const s = await site();
    await s.build();
    // site-snapshot.ts parses only the envelope of a snapshot of this version: whatever the
    // writer puts in the header must survive JSON as SiteStateHeaderSchema has it.
    const { header, check } = openStateFile(join(s.cache, SNAPSHOT_FILE));
    check();
    expect(SiteStateHeaderSchema.safeParse(header).error).toBeUndefined();
    await rm(s.dir, { recursive: true, force: true });
  });

  it('written by another version of edgefeed (or by the one before snapshots): ignored whole', async () => {
    const s = await site();
    await s.build();
    const path = join(s.cache, SNAPSHOT_FILE);
    const { header, sections, check } = openStateFile(path);
    check();
    const other = header as { key: string; parts: { version: string } };
    writeStateFile(
      path,
      { ...other, key: 'another key', parts: { ...other.parts, version: 'x' } },
      sections,
    );
    const built = await s.build();
    expect(built.stderr).toContain(line('written by another version of edgefeed'));
    expect(built.id).toBe(await s.coldId());
    await rm(s.cache, { recursive: true, force: true });
    await mkdir(s.cache);
    await writeFile(join(s.cache, 'build-state.v8'), 'the cache of edgefeed before snapshots');
    const old = await s.build();
    expect(old.stderr).toContain(line('written by another version of edgefeed'));
    expect(old.id).toBe(await s.coldId());
    await rm(s.dir, { recursive: true, force: true });
  });

  it('a truncated or corrupt snapshot or journal: detected, ignored, a full build', async () => {
    const s = await site();
    await s.build();
    const snapshot = join(s.cache, SNAPSHOT_FILE);
    const journal = join(s.cache, JOURNAL_FILE);
    const { size } = await stat(snapshot);
    await truncate(snapshot, size - 100);
    const truncated = await s.build();
    expect(truncated.stderr).toContain(line('checksum mismatch: truncated or corrupt'));
    expect(truncated.id).toBe(await s.coldId());

    // One byte changed inside a section: the layout decodes, so the stat thread starts on
    // the snapshot before its checksum is checked, and is stopped when the check fails.
    const whole = await readFile(snapshot);
    whole[whole.length - 20] = (whole[whole.length - 20] ?? 0) ^ 0x20;
    await writeFile(snapshot, whole);
    const flipped = await s.build([], { EDGEFEED_STAT_THREAD_FROM: '1' });
    expect(flipped.stderr).toContain(line('checksum mismatch: truncated or corrupt'));
    expect(flipped.id).toBe(await s.coldId());

    await writeFile(join(s.seeds, name(59)), seed(59, { title: 'For the journal' }));
    await s.build();
    const entry = await readFile(journal);
    await truncate(journal, entry.length - 3);
    const torn = await s.build();
    expect(torn.stderr).toContain(line('journal: torn entry'));
    expect(torn.id).toBe(await s.coldId());

    await writeFile(join(s.seeds, name(59)), seed(59, { title: 'For the journal, again' }));
    await s.build();
    const bytes = await readFile(journal);
    bytes[bytes.length - 10] = (bytes[bytes.length - 10] ?? 0) ^ 0x20;
    await writeFile(journal, bytes);
    const corrupt = await s.build();
    expect(corrupt.stderr).toContain(line('journal: checksum mismatch'));
    expect(corrupt.id).toBe(await s.coldId());
    await rm(s.dir, { recursive: true, force: true });
  });

  it('a journal two builds appended to from the same state: ignored whole', async () => {
    const s = await site();
    await s.build();
    const copy = join(s.dir, 'cache-copy');
    await cp(s.cache, copy, { recursive: true });
    await writeFile(join(s.seeds, name(59)), seed(59, { title: 'Edit A' }));
    await s.build();
    // A second process, with the cache folder as it was before the first one's build.
    const first = join(s.dir, 'cache-first');
    await rename(s.cache, first);
    await rename(copy, s.cache);
    await writeFile(join(s.seeds, name(58)), seed(58, { title: 'Edit B' }));
    await s.build();
    const second = await readFile(join(s.cache, JOURNAL_FILE));
    await rm(s.cache, { recursive: true, force: true });
    await rename(first, s.cache);
    await appendFile(join(s.cache, JOURNAL_FILE), second);
    const mixed = await s.build();
    expect(mixed.stderr).toContain(line('journal: an entry does not follow the build before it'));
    expect(mixed.id).toBe(await s.coldId());
    await rm(s.dir, { recursive: true, force: true });
  });
});
