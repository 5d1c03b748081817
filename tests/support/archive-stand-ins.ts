import { assembleBuild, type StoredDocument } from '../../src/compile/store/assemble-build.ts';
import { contentHash } from '../../src/compile/store/content-hash.ts';
import { archiveFeedPath, archivePagePath, type FeedScope } from '../../src/core/document-paths.ts';
import { ManifestShardSchema } from '../../src/core/manifest.ts';
import type { DocumentType } from '../../src/core/media-types.ts';
import { contentKey, shardKey } from '../../src/core/store-keys.ts';
import type { FixtureBuild } from './provided-context.ts';

/** The archive documents the worker tests need: page 1 of the site and of a topic. */
const SCOPES: FeedScope[] = [{ kind: 'site' }, { kind: 'topic', key: 'ai' }];
/** Stand-ins are sealed pages of old items: 2021-10-25T12:00:00Z, the oldest seed's date. */
const SEALED_AT = Date.UTC(2021, 9, 25, 12);

/**
 * The build with page 1 of the site's and the `ai` topic's archive (RFC 5005 §4: each
 * format and the HTML page), for the archive paths the build does not hold already. The
 * compile side is starting to write archive pages itself; until it does, these small,
 * well-formed stand-ins let the worker's archive behaviour (immutable caching, 304s, CORS,
 * no WebSub Link) be tested on real paths. The build is reassembled with the real
 * assembleBuild, so its shards and id are made as a build makes them.
 */
export function addArchiveStandIns(build: FixtureBuild): FixtureBuild {
  const values = new Map(build.values);
  const documents = new Map<string, StoredDocument>();
  for (const hash of build.record.shards) {
    const shard = ManifestShardSchema.parse(JSON.parse(values.get(shardKey(hash)) ?? 'null'));
    for (const [path, [content, seconds, type]] of Object.entries(shard.documents)) {
      documents.set(path, { path, hash: content, updated: seconds * 1000, type });
    }
    values.delete(shardKey(hash));
  }
  let pages = 0;
  for (const scope of SCOPES) {
    let added = false;
    for (const [path, type, render] of standInsOf(scope)) {
      if (documents.has(path)) continue;
      const body = render(`https://feeds.test${path}`);
      const hash = contentHash(body);
      values.set(contentKey(hash), body);
      documents.set(path, { path, hash, updated: SEALED_AT, type });
      added = true;
    }
    if (added) pages += 1;
  }
  const { buildId: _id, shards: _shards, ...facts } = build.record;
  const counts = {
    ...facts.counts,
    documents: documents.size,
    archivePages: facts.counts.archivePages + pages,
  };
  const assembled = assembleBuild(documents.values(), { ...facts, counts });
  for (const [key, text] of assembled.shards) values.set(key, text);
  return { record: assembled.record, values: [...values] };
}

function standInsOf(scope: FeedScope): [string, DocumentType, (url: string) => string][] {
  return [
    [archiveFeedPath(scope, 1, 'rss.xml'), 'rss', rss],
    [archiveFeedPath(scope, 1, 'atom.xml'), 'atom', atom],
    [archiveFeedPath(scope, 1, 'feed.json'), 'feed', jsonFeed],
    [archivePagePath(scope, 1), 'html', page],
  ];
}

function rss(url: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Archive page 1</title><link>${url}</link><description>Sealed archive page (stand-in).</description></channel></rss>\n`;
}

function atom(url: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xmlns:fh="http://purl.org/syndication/history/1.0"><fh:archive/><title>Archive page 1</title><id>${url}</id><updated>2021-10-25T12:00:00Z</updated></feed>\n`;
}

function jsonFeed(url: string): string {
  return `${JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'Archive page 1', feed_url: url, items: [] })}\n`;
}

function page(url: string): string {
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Archive page 1</title></head><body><main><h1>Archive page 1</h1><p>${url}</p></main></body></html>\n`;
}
