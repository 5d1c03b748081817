// A reader walking a feed's history over HTTP (RFC 5005 §4): from the subscription document
// back through prev-archive (RSS, Atom) or next_url (JSON Feed) until a page links no further.
import type { LimitedFetch } from './limited-fetch.ts';
import { type FeedFormatName, type FeedPage, readFeedPage } from './read-feed-page.ts';

export type Walked = { url: string; headers: Headers; read: FeedPage };

/**
 * The documents a reader fetches walking back from a subscription document, newest first;
 * throws when one answers other than 200, leaves `origin` or comes round again.
 */
export async function walkFeedHistory(
  http: LimitedFetch,
  origin: string,
  subscription: string,
  format: FeedFormatName,
): Promise<Walked[]> {
  const seen: Walked[] = [];
  for (let url: string | undefined = subscription; url !== undefined; ) {
    if (!url.startsWith(`${origin}/`)) throw new Error(`${url} leaves ${origin}`);
    if (seen.some((s) => s.url === url)) throw new Error(`${url} comes round again`);
    const answer = await http.get(url);
    if (answer.status !== 200) throw new Error(`${url} answered ${answer.status}`);
    const read = readFeedPage(answer.body, format);
    seen.push({ url, headers: answer.headers, read });
    url = read.older;
  }
  return seen;
}
