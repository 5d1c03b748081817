import type { FeedFormat, FeedScope } from '../../src/core/document-paths.ts';
import {
  BUILD_RECORD_KEY,
  FEED_FORMATS,
  feedPath,
  pagePath,
} from '../../src/core/document-paths.ts';
import type { BundleEntry } from '../../src/core/document-record.ts';
import { MEDIA_TYPES } from '../../src/core/media-types.ts';
import { makeDocumentEntry } from './document-entry.ts';

const LAST_MODIFIED = 'Tue, 26 Oct 2021 10:29:00 GMT';

const FORMAT_TYPES: Record<FeedFormat, string> = {
  'rss.xml': MEDIA_TYPES.rss,
  'atom.xml': MEDIA_TYPES.atom,
  'feed.json': MEDIA_TYPES.jsonFeed,
};

const SCOPES: FeedScope[] = [
  { kind: 'site' },
  { kind: 'topic', key: 'ai' },
  { kind: 'topic', key: 'cloud' },
  { kind: 'provider', key: 'example.com' },
  { kind: 'provider', key: 'news.example.org' },
];

/**
 * A bundle of the documents the URL table names, written by hand (no renderer): enough
 * for the worker's HTTP behaviour, which never looks inside a document.
 */
export async function handBuiltBundle(): Promise<BundleEntry[]> {
  const entries: BundleEntry[] = [];
  for (const scope of SCOPES) {
    const name = scope.kind === 'site' ? 'site' : `${scope.kind} ${scope.key}`;
    entries.push(
      await makeDocumentEntry({
        path: pagePath(scope),
        body: `<!doctype html><title>${name}</title><h1>${name}</h1>`,
        contentType: MEDIA_TYPES.html,
        lastModified: LAST_MODIFIED,
      }),
    );
    for (const format of FEED_FORMATS) {
      entries.push(
        await makeDocumentEntry({
          path: feedPath(scope, format),
          body: `${format} of ${name}`,
          contentType: FORMAT_TYPES[format],
          lastModified: LAST_MODIFIED,
        }),
      );
    }
  }
  entries.push(
    await makeDocumentEntry({
      path: '/opml.xml',
      body: '<opml version="2.0"/>',
      contentType: MEDIA_TYPES.opml,
      lastModified: LAST_MODIFIED,
    }),
    await makeDocumentEntry({
      path: '/feeds.json',
      body: '{"feeds":[]}',
      contentType: MEDIA_TYPES.json,
      lastModified: LAST_MODIFIED,
    }),
  );
  const record = {
    buildId: 'hand-built',
    builtAt: '2021-10-26T10:29:00.000Z',
    generator: 'edgefeed tests',
    counts: { articles: 3, topics: 2, providers: 2, feeds: 15, documents: entries.length },
  };
  entries.push({ key: BUILD_RECORD_KEY, value: JSON.stringify(record) });
  return entries;
}
