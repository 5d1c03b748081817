// `npm start` as a newcomer meets it, on the repository's sample site (seeds/ and taxonomy/):
// what it prints and what it serves. The run's shared server (tests/support/shared-servers.ts),
// started as a user types it: no STATS_TOKEN, wrangler's own log level. What a deploy or a
// rollback does to a running server is tests/publish/publish-end-to-end.test.ts.
import { describe, expect, it } from 'vitest';
import { sharedNpmStart, sharedNpmStartLog } from '../support/shared-servers.ts';

/** Lines a user would read as a problem: wrangler's `[wrangler:warn]`, `WARNING`, `Error:`. */
function alarming(output: string): string[] {
  return output.split('\n').filter((line) => /warn|error:/i.test(line));
}

describe('npm start on the sample site', { timeout: 180_000 }, () => {
  it('prints the build summary, then one notice naming the site, a feed and /stats, and no warning', async () => {
    const { origin } = await sharedNpmStart();
    const log = await sharedNpmStartLog();
    expect(alarming(log), log).toEqual([]);
    expect(log).toMatch(/^files read 66: published 65, unpublished 1/m);
    expect(log).toMatch(/^deploy \(local, /m);
    const notice = log.slice(log.indexOf('edgefeed serves build'));
    for (const url of [`${origin}/`, `${origin}/feed.json`, `${origin}/feeds.json`]) {
      expect(notice).toContain(url);
    }
    // The /stats line is the command to run, with the token this run made: it works.
    const token = /Authorization: Bearer ([0-9a-f]+)' (\S+\/stats)\b/.exec(notice);
    expect(token, notice).not.toBeNull();
    expect(notice).toContain('STATS_TOKEN made for this run');
    const stats = await fetch(token?.[2] ?? '', {
      headers: { Authorization: `Bearer ${token?.[1]}` },
    });
    expect(stats.status).toBe(200);
    await stats.arrayBuffer();
    expect(log.match(/edgefeed serves build/g)).toHaveLength(1);
  });

  it('serves a site with topics, providers and a sealed archive page of the site feed', async () => {
    const { origin } = await sharedNpmStart();
    const list = (await (await fetch(`${origin}/feeds.json`)).json()) as {
      feeds: { kind: string; key: string; count: number }[];
    };
    const kinds = (kind: string) => list.feeds.filter((feed) => feed.kind === kind);
    expect(kinds('provider').length).toBeGreaterThanOrEqual(3);
    expect(kinds('topic').length).toBeGreaterThanOrEqual(6);
    // A child topic's articles are in its parent's feed too (taxonomy/topics/ai.yaml).
    const count = (key: string) => kinds('topic').find((feed) => feed.key === key)?.count ?? 0;
    expect(count('technology')).toBeGreaterThan(count('ai'));
    const feed = (await (await fetch(`${origin}/feed.json`)).json()) as { items: unknown[] };
    expect(feed.items).toHaveLength(50);
    const archive = await fetch(`${origin}/archive/1/feed.json`);
    expect(archive.status).toBe(200);
    expect(archive.headers.get('Cache-Control')).toContain('immutable');
    await archive.arrayBuffer();
  });
});
