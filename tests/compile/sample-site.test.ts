// The repository's sample site (seeds/, with taxonomy/ beside it) is what `npm start` shows a
// newcomer; these checks keep it showing every part (README "Sample site").
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BuildReport } from '../../src/compile/build-report.ts';
import { type BuiltDocument, compileBuild } from '../../src/compile/compile-build.ts';
import { parseBuildArgs } from '../../src/compile/parse-build-args.ts';
import { buildOptions } from '../support/build-options.ts';
import { haveShared, SHARED } from '../support/seed-corpora.ts';

const ROOT = join(import.meta.dirname, '../..');
const SEEDS = join(ROOT, 'seeds');
const TAXONOMY = join(ROOT, 'taxonomy');

type JsonFeed = { items: { id: string; tags?: string[] }[]; next_url?: string };

let documents: BuiltDocument[];
let report: BuildReport;

const body = (path: string) => {
  const doc = documents.find((d) => d.path === path);
  if (!doc) throw new Error(`the sample site has no ${path}`);
  return doc.body;
};
const jsonFeed = (path: string) => JSON.parse(body(path)) as JsonFeed;

beforeAll(async () => {
  const options = parseBuildArgs(['--seeds', SEEDS]);
  if (options === 'help') throw new Error('unexpected --help');
  const built = await compileBuild(buildOptions(SEEDS, { taxonomyDir: options.taxonomyDir }));
  documents = built.documents;
  report = built.report;
});

describe('the default taxonomy', () => {
  it('is the taxonomy folder beside the seeds folder', () => {
    expect(parseBuildArgs(['--seeds', SEEDS])).toMatchObject({ taxonomyDir: TAXONOMY });
    expect(parseBuildArgs(['--seeds', `${SEEDS}/`])).toMatchObject({ taxonomyDir: TAXONOMY });
  });

  it('is none when no taxonomy folder is beside the seeds, and --taxonomy wins', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'edgefeed-no-taxonomy-'));
    expect(parseBuildArgs(['--seeds', join(dir, 'seeds')])).toMatchObject({
      taxonomyDir: undefined,
    });
    expect(parseBuildArgs(['--seeds', SEEDS, '--taxonomy', dir])).toMatchObject({
      taxonomyDir: dir,
    });
  });
});

describe('the sample site', () => {
  it('builds without a problem, keeping its one draft out', () => {
    expect(report.problems).toEqual([]);
    expect(report.published).toBeGreaterThanOrEqual(60);
    expect(report.unpublished).toBe(1);
  });

  it('has at least 3 providers and 6 topics, a child topic inside its parent', () => {
    const { feeds } = JSON.parse(body('/feeds.json')) as {
      feeds: { kind: string; key: string; count: number }[];
    };
    const keys = (kind: string) => feeds.filter((f) => f.kind === kind).map((f) => f.key);
    expect(keys('provider').length).toBeGreaterThanOrEqual(3);
    expect(keys('topic').length).toBeGreaterThanOrEqual(6);
    const ids = (path: string) => new Set(jsonFeed(path).items.map((i) => i.id));
    const parent = ids('/topics/technology/feed.json');
    const child = [...ids('/topics/ai/feed.json')];
    expect(child.length).toBeGreaterThan(0);
    expect(child.filter((id) => !parent.has(id))).toEqual([]);
  });

  it('fills the site feed and a sealed archive page, and every article is reachable', () => {
    const feed = jsonFeed('/feed.json');
    expect(feed.items).toHaveLength(50);
    expect(feed.next_url).toMatch(/\/archive\/1\/feed\.json$/);
    const archive = jsonFeed('/archive/1/feed.json');
    expect(archive.items).toHaveLength(50);
    const reachable = new Set([...feed.items, ...archive.items].map((i) => i.id));
    expect(reachable.size).toBe(report.published);
  });

  it('publishes no secured value and no draft anywhere', async () => {
    const texts = await Promise.all(
      (await readdir(SEEDS)).map((name) => readFile(join(SEEDS, name), 'utf8')),
    );
    const secured = texts.flatMap((t) => /^secured: "([^"]+)"/m.exec(t)?.[1] ?? []);
    const drafts = texts
      .filter((t) => /^published: false$/m.test(t))
      .flatMap((t) => /^webUrl: "([^"]+)"/m.exec(t)?.[1] ?? []);
    expect(secured).toHaveLength(1);
    expect(drafts).toHaveLength(1);
    for (const doc of documents) {
      for (const value of [...secured, ...drafts]) expect(doc.body).not.toContain(value);
    }
  });

  it.skipIf(!haveShared)('links to no article of the shared corpora', async () => {
    const ids = [
      ...new Set(
        [...jsonFeed('/feed.json').items, ...jsonFeed('/archive/1/feed.json').items].map(
          (i) => i.id,
        ),
      ),
    ];
    const patterns = join(await mkdtemp(join(tmpdir(), 'edgefeed-sample-urls-')), 'urls');
    await writeFile(patterns, `${ids.join('\n')}\n`);
    // grep exits 1 when nothing matches: that is the expected outcome.
    let found = '';
    try {
      found = execFileSync('grep', ['-rlF', '-f', patterns, join(SHARED, 'corpus')], {
        encoding: 'utf8',
      });
    } catch (error) {
      if (Reflect.get(Object(error), 'status') !== 1) throw error;
    }
    expect(found).toBe('');
  });
});
