// A watching rebuild after in-place edits replans only the documents that list the edited
// articles (recompileEdits); these tests hold it to what a whole, cold build gives.
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildSite } from '../../src/compile/build-site.ts';
import { newSession } from '../../src/compile/watch/build-session.ts';
import { buildOptions } from '../support/build-options.ts';
import { type SeedFields, seedText, writeSeedFolder } from '../support/seed-folder.ts';
import { snapshotBuild } from '../support/stored-build.ts';

const made: string[] = [];
afterEach(async () => {
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** Seed n of 23: three providers, two topics, a day apart, so every feed has archives. */
function fields(n: number): SeedFields {
  return {
    title: `Article ${n}`,
    url: `https://p${n % 3}.example/${n}`,
    domain: `p${n % 3}.example`,
    date: `2023-01-${String(1 + n).padStart(2, '0')}T00:00:00Z`,
    topics: [['AI', 'Cloud'][n % 2] ?? 'AI'],
  };
}

async function site() {
  const files: Record<string, string> = {};
  for (let n = 0; n < 23; n++) files[`s${n}.md`] = seedText(fields(n));
  const seeds = await writeSeedFolder(files);
  made.push(seeds);
  const options = buildOptions(seeds, { pageSize: 4, cacheDir: join(seeds, '.cache') });
  const session = newSession();
  await buildSite(options, () => {}, session);
  /** Writes seed n with `change` applied and tells the session, as the watcher does. */
  const edit = async (n: number, change: Partial<SeedFields>) => {
    const name = `s${n}.md`;
    const path = join(seeds, name);
    await writeFile(path, seedText({ ...fields(n), ...change }));
    session.changed?.set(name, { path, name });
  };
  const cold = async () => {
    const outDir = join(seeds, '.cold');
    await rm(outDir, { recursive: true, force: true });
    await buildSite({ ...options, outDir, cacheDir: undefined });
    return snapshotBuild(outDir);
  };
  return { options, session, edit, cold, snapshot: () => snapshotBuild(options.outDir) };
}

describe('a rebuild after in-place edits', () => {
  it('replans from the last plan and serves exactly what a cold build serves', async () => {
    const s = await site();
    const groups = s.session.compiled?.plan.groups;
    expect(groups).toBeDefined();
    // Article 2 is sealed in archive pages; article 22 is the newest, on subscription feeds.
    await s.edit(2, { title: 'Corrected in the archive', excerpt: 'A new excerpt' });
    await s.edit(22, { title: 'Corrected on the front' });
    const build = await buildSite(s.options, () => {}, s.session);
    // The same groups: the fast path ran, not a whole compile.
    expect(s.session.compiled?.plan.groups).toBe(groups);
    expect(build.parsed).toBe(2);
    // Sealed pages hold floor(total / 4) * 4 items: article 2 is on page 1 of the site's
    // feed, of AI's (12 items) and of p2's (7); article 22, the newest, is on page 3 of AI's
    // and page 2 of p1's (8 items, all sealed). Five pages in three formats, four feeds; and
    // one archived article edited (22 is newer than the site feed's sealed pages).
    expect(build.report.archives.changed).toEqual({
      documents: 15,
      feeds: 4,
      because: { edited: 1, added: 0, removed: 0 },
    });
    const snapshot = s.snapshot();
    expect(snapshot).toContain('Corrected in the archive');
    expect(snapshot).toContain('Corrected on the front');
    expect(snapshot).toBe(await s.cold());

    // Again, from the plan, manifest and documents that rebuild left.
    await s.edit(2, { title: 'Corrected twice' });
    await s.edit(10, { excerpt: 'Another excerpt' });
    await buildSite(s.options, () => {}, s.session);
    expect(s.session.compiled?.plan.groups).toBe(groups);
    expect(s.snapshot()).toContain('Corrected twice');
    expect(s.snapshot()).not.toContain('Corrected in the archive');
    expect(s.snapshot()).toBe(await s.cold());
  });

  it('compiles the whole site when an edit moves an article in time or between feeds', async () => {
    const s = await site();
    const groups = s.session.compiled?.plan.groups;
    await s.edit(5, { date: '2023-02-15T00:00:00Z', title: 'Moved to February' });
    await buildSite(s.options, () => {}, s.session);
    expect(s.session.compiled?.plan.groups).not.toBe(groups);
    expect(s.snapshot()).toContain('Moved to February');
    expect(s.snapshot()).toBe(await s.cold());

    const regrouped = s.session.compiled?.plan.groups;
    await s.edit(6, { topics: ['AI', 'Cloud'] });
    await buildSite(s.options, () => {}, s.session);
    expect(s.session.compiled?.plan.groups).not.toBe(regrouped);
    expect(s.snapshot()).toBe(await s.cold());
  });

  it('compiles the whole site when an edit makes a seed invalid, and reports it', async () => {
    const s = await site();
    const before = s.snapshot();
    await s.edit(7, { url: 'not a url' });
    const build = await buildSite(s.options, () => {}, s.session);
    expect(build.ok).toBe(false);
    expect(build.report.problems).toHaveLength(1);
    expect(build.report.problems[0]).toMatch(/^s7\.md:\d+ webUrl: /);
    // Nothing was written, and the seed is looked at again by the next build.
    expect(s.snapshot()).toBe(before);
    await s.edit(7, { title: 'Fixed' });
    await buildSite(s.options, () => {}, s.session);
    expect(s.snapshot()).toContain('Fixed');
    expect(s.snapshot()).toBe(await s.cold());
  });
});
