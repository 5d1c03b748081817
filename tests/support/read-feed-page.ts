// One feed document as a reader walking RFC 5005 history sees it: its item ids and the links
// it follows, read by third-party parsers (feedsmith for items and links, fast-xml-parser for
// the fh: markers feedsmith does not read, ajv for the JSON Feed 1.1 schema).
import { XMLParser } from 'fast-xml-parser';
import { assertValidJsonFeed, readWithFeedsmith, readXmlFeed } from './feed-checks.ts';

export type FeedFormatName = 'rss' | 'atom' | 'json';

export type FeedPage = {
  ids: string[];
  /** rel → href: atom:link (RSS), link (Atom), the `_fh` extension object (JSON Feed). */
  links: Map<string, string>;
  /** Where a reader goes back to: `prev-archive` (RSS, Atom), `next_url` (JSON Feed). */
  older: string | undefined;
  /** `fh:archive` (RFC 5005 §4) or `_fh.archive`. */
  archive: boolean;
  /** `fh:complete` (RFC 5005 §2) or `_fh.complete`. */
  complete: boolean;
  /** JSON Feed only: `feed_url`, and each item's `date_published` in ms. */
  feedUrl?: string;
  dates: number[];
};

const FH = 'http://purl.org/syndication/history/1.0';
const xml = new XMLParser({ ignoreAttributes: false });

type Node = Record<string, unknown>;
const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null;

/** `fh:archive` / `fh:complete` at feed level, with the prefix bound to RFC 5005's namespace. */
function historyMarkers(text: string, format: 'rss' | 'atom') {
  const doc: unknown = xml.parse(text);
  const root = isNode(doc) ? doc[format === 'rss' ? 'rss' : 'feed'] : undefined;
  const level = isNode(root) && format === 'rss' ? root.channel : root;
  if (!isNode(root) || !isNode(level)) throw new Error(`no ${format} feed element`);
  const archive = level['fh:archive'] !== undefined;
  const complete = level['fh:complete'] !== undefined;
  if ((archive || complete) && root['@_xmlns:fh'] !== FH) {
    throw new Error(`fh: is bound to ${String(root['@_xmlns:fh'])}, not ${FH}`);
  }
  return { archive, complete };
}

export function readFeedPage(text: string, format: FeedFormatName): FeedPage {
  const parsed = readWithFeedsmith(text);
  if (parsed.format !== format) throw new Error(`a ${format} document read as ${parsed.format}`);
  const links = new Map<string, string>();
  if (parsed.format === 'json') {
    const raw = assertValidJsonFeed(text);
    const fh = isNode(raw._fh) ? raw._fh : {};
    for (const [key, rel] of [
      ['self', 'self'],
      ['current', 'current'],
      ['prev_archive', 'prev-archive'],
      ['next_archive', 'next-archive'],
    ] as const) {
      if (typeof fh[key] === 'string') links.set(rel, fh[key]);
    }
    const items = parsed.feed.items ?? [];
    return {
      ids: items.map((i) => String(i.id)),
      links,
      older: parsed.feed.next_url,
      archive: fh.archive === true,
      complete: fh.complete === true,
      feedUrl: parsed.feed.feed_url,
      dates: items.map((i) => Date.parse(String(i.date_published))),
    };
  }
  readXmlFeed(text); // well-formed, and read by a second parser too
  if (parsed.format === 'rss') {
    for (const l of parsed.feed.atom?.links ?? []) if (l.rel && l.href) links.set(l.rel, l.href);
    const ids = (parsed.feed.items ?? []).map((i) => String(i.guid?.value));
    const older = links.get('prev-archive');
    return { ids, links, older, ...historyMarkers(text, 'rss'), dates: [] };
  }
  for (const l of parsed.feed.links ?? []) if (l.rel && l.href) links.set(l.rel, l.href);
  const ids = (parsed.feed.entries ?? []).map((e) => String(e.id));
  const older = links.get('prev-archive');
  return { ids, links, older, ...historyMarkers(text, 'atom'), dates: [] };
}
