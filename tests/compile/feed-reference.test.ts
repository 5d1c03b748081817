// `feed` (jpmonette/feed) was our first renderer and stays as a reference: for ordinary
// articles, what it writes and what we write must read the same in a third-party parser.
// docs/decisions.md says why we no longer ship its output.
import { Feed } from 'feed';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BuiltDocument } from '../../src/compile/compile-build.ts';
import { compileBuild } from '../../src/compile/compile-build.ts';
import { buildOptions } from '../support/build-options.ts';
import { readXmlFeed } from '../support/feed-checks.ts';
import { seedText, writeSeedFolder } from '../support/seed-folder.ts';

const articles = [
  {
    title: 'First story',
    url: 'https://a.example/1',
    date: '2021-03-01T10:00:00Z',
    excerpt: 'One.',
  },
  {
    title: 'Second story',
    url: 'https://a.example/2',
    date: '2021-02-01T10:00:00Z',
    excerpt: 'Two.',
  },
  {
    title: 'Third story',
    url: 'https://a.example/3',
    date: '2021-01-01T10:00:00Z',
    excerpt: 'Three.',
  },
];

let entries: BuiltDocument[] = [];
beforeAll(async () => {
  const files = Object.fromEntries(
    articles.map((a, i) => [`${i}.md`, seedText({ ...a, topics: ['AI'] })]),
  );
  entries = (await compileBuild(buildOptions(await writeSeedFolder(files)))).documents;
});

function referenceFeed(): Feed {
  const feed = new Feed({
    title: 'edgefeed',
    id: 'https://feeds.example.org/',
    link: 'https://feeds.example.org/',
    updated: new Date(articles[0]?.date ?? 0),
  });
  for (const a of articles) {
    feed.addItem({
      title: a.title,
      id: a.url,
      link: a.url,
      date: new Date(a.date),
      published: new Date(a.date),
      description: a.excerpt,
      category: [{ name: 'AI', term: 'ai' }],
    });
  }
  return feed;
}

const essentials = (xml: string) =>
  readXmlFeed(xml).items.map((i) => ({
    title: i.title,
    url: i.url,
    published: i.published?.toISOString(),
    description: i.description,
    categories: i.categories.map((c) => c.label ?? c.term),
  }));

describe('our renderers agree with the feed package on ordinary articles', () => {
  const ours = (path: string) => entries.find((e) => e.path === path)?.body ?? '';

  it('RSS 2.0 items read the same', () => {
    expect(essentials(ours('/rss.xml'))).toEqual(essentials(referenceFeed().rss2()));
  });

  it('Atom 1.0 entries read the same', () => {
    expect(essentials(ours('/atom.xml'))).toEqual(essentials(referenceFeed().atom1()));
  });
});
