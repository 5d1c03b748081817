import { describe, expect, it } from 'vitest';
import { type CompiledBuild, compileBuild } from '../../src/compile/compile-build.ts';
import { buildOptions } from '../support/build-options.ts';
import { seedText, writeSeedFolder } from '../support/seed-folder.ts';

// ActivityPub outboxes (docs/activitypub.md): an OrderedCollection per feed whose pages are
// the feed's own (sealed page k = RFC 5005 archive page k), walked from `first` by `next`.
const SITE = 'https://feeds.example.org';
const PAGE = 5;

async function site(count: number): Promise<string> {
  const files: Record<string, string> = {};
  for (let n = 0; n < count; n++) {
    files[`s${String(n).padStart(3, '0')}.md`] = seedText({
      url: `https://${n % 3 === 0 ? 'b' : 'a'}.example/${String(n).padStart(3, '0')}`,
      domain: n % 3 === 0 ? 'b.example' : 'a.example',
      date: `2021-01-${String(1 + Math.floor(n / 2)).padStart(2, '0')}T0${n % 2}:00:00Z`,
      topics: [n % 4 === 0 ? 'Cloud' : 'AI'],
      title: `Story "${n}" <b>&</b>`,
    });
  }
  return writeSeedFolder(files);
}

type Feed = { count: number; archivePages: number; actor: string; urls: { json: string } };
type Page = { id: string; type: string; next?: string; orderedItems: Create[] };
type Create = { id: string; type: string; actor: string; object: { id: string; url: string } };

function json<T>(build: CompiledBuild, url: string): T {
  const path = url.slice(SITE.length);
  const doc = build.documents.find((d) => d.path === path);
  if (!doc) throw new Error(`no ${path}`);
  return JSON.parse(doc.body) as T;
}

describe('each feed’s outbox', () => {
  it('walks from first to last through every article once, each a Create of a Note', async () => {
    const build = await compileBuild(
      buildOptions(await site(23), { siteUrl: SITE, pageSize: PAGE }),
    );
    const feeds = json<{ feeds: Feed[] }>(build, `${SITE}/feeds.json`).feeds;
    expect(feeds.length).toBe(5);
    for (const feed of feeds) {
      const actor = json<{ outbox: string }>(build, feed.actor);
      const outbox = json<{ totalItems: number; first: string; last: string }>(build, actor.outbox);
      expect(outbox.totalItems, feed.actor).toBe(feed.count);
      const seen: Create[] = [];
      let url: string | undefined = outbox.first;
      let last = '';
      while (url !== undefined) {
        const page: Page = json<Page>(build, url);
        expect(page.type).toBe('OrderedCollectionPage');
        seen.push(...page.orderedItems);
        last = url;
        url = page.next;
      }
      expect(last).toBe(outbox.last);
      expect(seen).toHaveLength(feed.count);
      expect(new Set(seen.map((c) => c.id)).size).toBe(feed.count);
      for (const create of seen) {
        expect(create).toMatchObject({ type: 'Create', actor: feed.actor });
        expect(create.object).toMatchObject({ type: 'Note', attributedTo: feed.actor });
        expect(create.id).toBe(`${create.object.id}/create`);
      }
      // Newest first, as the collection is ordered (ActivityStreams 2.0 §5.3 leaves it to us).
      const dates = seen.map((c) => (c as unknown as { published: string }).published);
      expect([...dates].sort().reverse()).toEqual(dates);
      // Sealed page k holds exactly archive page k's articles.
      for (let k = 1; k <= feed.archivePages; k++) {
        const archive = json<{ items: { url: string }[] }>(
          build,
          feed.urls.json.replace(/feed\.json$/, `archive/${k}/feed.json`),
        );
        const sealed = json<Page>(build, feed.actor.replace(/actor$/, `archive/${k}/outbox`));
        expect(sealed.orderedItems.map((c) => c.object.url).sort()).toEqual(
          archive.items.map((i) => i.url).sort(),
        );
      }
    }
  });

  it('keeps sealed outbox pages byte for byte when a newer article arrives', async () => {
    const before = await compileBuild(
      buildOptions(await site(23), { siteUrl: SITE, pageSize: PAGE }),
    );
    const after = await compileBuild(
      buildOptions(await site(24), { siteUrl: SITE, pageSize: PAGE }),
    );
    const sealed = before.documents.filter((d) => /\/archive\/\d+\/outbox$/.test(d.path));
    expect(sealed.length).toBeGreaterThan(0);
    for (const doc of sealed) {
      expect(after.documents.find((d) => d.path === doc.path)?.body, doc.path).toBe(doc.body);
    }
  });
});
