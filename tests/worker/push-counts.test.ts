import { env, SELF } from 'cloudflare:test';
import { afterEach, beforeAll, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { injectPushCounts, pageScope } from '../../src/worker/push-counts/inject-push-counts.ts';
import { documentsOf } from './support/build-documents.ts';
import { hubEnv, ORIGIN } from './support/hub-client.ts';
import { loadBuild } from './support/load-build.ts';
import { clearHubTables, insertSubscription } from './support/read-subscriptions.ts';

// "N push subscribers" on each scope's page and "pushSubscribers" in /feeds.json: verified,
// unexpired WebSub subscriptions of the scope's three subscription documents together.

beforeAll(async () => {
  await loadBuild(env.FEEDS, inject('fixtureBuild'));
});

beforeEach(clearHubTables);

afterEach(() => {
  vi.restoreAllMocks();
});

/** A stored page as the build will write it: the placeholder for its own scope (and another). */
function page(scope: string, headers: Record<string, string> = {}): Response {
  const html = `<!doctype html><html><body><main><h1>Feed</h1><p class="push-count" data-push-feed="${scope}" hidden></p><aside><p class="push-count" data-push-feed="/elsewhere" hidden></p></aside></main></body></html>`;
  return new Response(html, {
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      ETag: '"pagehash123"',
      'Cache-Control': 'public, max-age=300, stale-while-revalidate=3600',
      'Content-Length': String(html.length),
      ...headers,
    },
  });
}

async function subscribeAll(scope: string, counts: { rss?: number; atom?: number; json?: number }) {
  const formats = [
    ['rss.xml', counts.rss ?? 0],
    ['atom.xml', counts.atom ?? 0],
    ['feed.json', counts.json ?? 0],
  ] as const;
  for (const [format, n] of formats) {
    for (let i = 0; i < n; i++) {
      await insertSubscription({
        topic: `${ORIGIN}${scope}/${format}`,
        callback: `https://r${i}.example/${format}`,
      });
    }
  }
}

function placeholder(html: string, scope: string): string | undefined {
  const match = new RegExp(`<p class="push-count" data-push-feed="${scope}"[^>]*>[^<]*</p>`).exec(
    html,
  );
  return match?.[0];
}

describe('a scope’s page', () => {
  it('says "N push subscribers" for its three documents together and shows the line', async () => {
    await subscribeAll('/topics/ai', { rss: 2, atom: 1, json: 1 });
    await subscribeAll('/topics/cloud', { rss: 5 });
    const response = await injectPushCounts('/topics/ai/', page('/topics/ai'), hubEnv());
    const html = await response.text();
    expect(placeholder(html, '/topics/ai')).toBe(
      '<p class="push-count" data-push-feed="/topics/ai">4 push subscribers</p>',
    );
    // Another scope's placeholder is left alone.
    expect(placeholder(html, '/elsewhere')).toBe(
      '<p class="push-count" data-push-feed="/elsewhere" hidden></p>',
    );
  });

  it('says "N fediverse followers" next to them, from the feed actor’s followers', async () => {
    await subscribeAll('/topics/ai', { rss: 1 });
    await env.DB.batch(
      ['https://a.example/u/1', 'https://a.example/u/2'].map((follower) =>
        env.DB.prepare(
          `INSERT INTO followers (actor, follower, inbox, follow_id, followed_at)
           VALUES ('/topics/ai/actor', ?1, 'https://a.example/inbox', ?1, 0)`,
        ).bind(follower),
      ),
    );
    try {
      const response = await injectPushCounts('/topics/ai/', page('/topics/ai'), hubEnv());
      expect(placeholder(await response.text(), '/topics/ai')).toBe(
        '<p class="push-count" data-push-feed="/topics/ai">1 push subscriber · 2 fediverse followers</p>',
      );
      await clearHubTables();
      const alone = await injectPushCounts('/topics/ai/', page('/topics/ai'), hubEnv());
      expect(placeholder(await alone.text(), '/topics/ai')).toBe(
        '<p class="push-count" data-push-feed="/topics/ai">2 fediverse followers</p>',
      );
    } finally {
      await env.DB.prepare('DELETE FROM followers').run();
    }
  });

  it('leaves a page with no push subscriber as stored, placeholder hidden', async () => {
    const stored = page('/providers/example.com');
    const response = await injectPushCounts('/providers/example.com/', stored, hubEnv());
    expect(response).toBe(stored);
    expect(placeholder(await response.text(), '/providers/example.com')).toContain(' hidden>');
  });

  it.each([
    [1, '1 push subscriber'],
    [2, '2 push subscribers'],
  ])('writes %i as "%s"', async (n, text) => {
    await subscribeAll('/providers/example.com', { atom: n });
    const response = await injectPushCounts(
      '/providers/example.com/',
      page('/providers/example.com'),
      hubEnv(),
    );
    expect(placeholder(await response.text(), '/providers/example.com')).toContain(`>${text}</p>`);
  });

  it('counts the site feeds on the index page (scope "")', async () => {
    await subscribeAll('', { rss: 1, json: 2 });
    await subscribeAll('/topics/ai', { rss: 3 });
    const response = await injectPushCounts('/', page(''), hubEnv());
    expect(placeholder(await response.text(), '')).toContain('>3 push subscribers</p>');
  });

  it('does not count expired subscriptions', async () => {
    await insertSubscription({
      topic: `${ORIGIN}/topics/ai/rss.xml`,
      callback: 'https://old.example/cb',
      verifiedAt: Date.now() - 7200_000,
      leaseSeconds: 3600,
    });
    const response = await injectPushCounts('/topics/ai/', page('/topics/ai'), hubEnv());
    expect(placeholder(await response.text(), '/topics/ai')).toContain(' hidden></p>');
  });
});

describe('validators and caching of a counted response', () => {
  it('changes the ETag with the counts: "<hash>-<digest>", the same for the same counts', async () => {
    const etagWith = async () =>
      (await injectPushCounts('/topics/ai/', page('/topics/ai'), hubEnv())).headers.get('ETag');
    expect(await etagWith()).toBe('"pagehash123"'); // nobody subscribed: as stored
    await subscribeAll('/topics/ai', { rss: 1 });
    const one = await etagWith();
    expect(one).toMatch(/^"pagehash123-[0-9a-f]{8}"$/);
    expect(await etagWith()).toBe(one);
    await subscribeAll('/topics/ai', { atom: 1 });
    const two = await etagWith();
    expect(two).toMatch(/^"pagehash123-[0-9a-f]{8}"$/);
    expect(two).not.toBe(one);
  });

  it('keeps a weak ETag weak', async () => {
    await subscribeAll('/topics/ai', { rss: 1 });
    const response = await injectPushCounts(
      '/topics/ai/',
      page('/topics/ai', { ETag: 'W/"weak1"' }),
      hubEnv(),
    );
    expect(response.headers.get('ETag')).toMatch(/^W\/"weak1-[0-9a-f]{8}"$/);
  });

  it('is cached for at most a minute, and drops the old Content-Length', async () => {
    await subscribeAll('/topics/ai', { rss: 1 });
    const response = await injectPushCounts('/topics/ai/', page('/topics/ai'), hubEnv());
    expect(response.headers.get('Cache-Control')).toBe('public, max-age=60');
    expect(response.headers.get('Content-Length')).toBeNull();
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
  });
});

describe('/feeds.json', () => {
  async function feedsList(): Promise<string> {
    const list = documentsOf(inject('fixtureBuild')).find((d) => d.path === '/feeds.json');
    if (list === undefined) throw new Error('the fixture build has no /feeds.json');
    return list.body;
  }

  function listResponse(text: string): Response {
    return new Response(text, {
      headers: { 'Content-Type': 'application/json; charset=utf-8', ETag: '"listhash"' },
    });
  }

  it('gains "pushSubscribers" after each feed’s count, and nothing else changes', async () => {
    await subscribeAll('/topics/ai', { rss: 1, atom: 1 });
    await subscribeAll('', { json: 1 });
    const original = await feedsList();
    const response = await injectPushCounts('/feeds.json', listResponse(original), hubEnv());
    const text = await response.text();
    const list = JSON.parse(text) as {
      feeds: { kind: string; key: string; pushSubscribers: number }[];
    };
    const counts = Object.fromEntries(
      list.feeds.map((feed) => [`${feed.kind}:${feed.key}`, feed.pushSubscribers]),
    );
    expect(counts).toMatchObject({
      'site:': 1,
      'topic:ai': 2,
      'topic:cloud': 0,
      'provider:example.com': 0,
    });
    // Removing the added lines gives back the stored document, byte for byte.
    expect(text.replace(/\n *"pushSubscribers": \d+,/g, '')).toBe(original);
    const [first] = list.feeds;
    expect(Object.keys(first ?? {}).indexOf('pushSubscribers')).toBe(
      Object.keys(first ?? {}).indexOf('count') + 1,
    );
    expect(response.headers.get('ETag')).toMatch(/^"listhash-[0-9a-f]{8}"$/);
    expect(response.headers.get('Cache-Control')).toBe('public, max-age=60');
  });
});

describe('what is left as it was', () => {
  it.each(['/rss.xml', '/topics/ai/atom.xml', '/opml.xml', '/topics/ai/archive/1/', '/style.css'])(
    'the response for %s',
    async (path) => {
      const response = page('/topics/ai');
      expect(await injectPushCounts(path, response, hubEnv())).toBe(response);
    },
  );

  it('a response other than 200', async () => {
    const notModified = new Response(null, { status: 304, headers: { ETag: '"pagehash123"' } });
    expect(await injectPushCounts('/topics/ai/', notModified, hubEnv())).toBe(notModified);
  });

  it('every page when the worker has no D1 binding', async () => {
    const response = page('/topics/ai');
    expect(await injectPushCounts('/topics/ai/', response, hubEnv({ DB: undefined }))).toBe(
      response,
    );
  });

  it('the page, whole, when counting fails (logged, never an error page)', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const broken = {
      prepare() {
        throw new Error('D1 is unavailable');
      },
    } as unknown as D1Database;
    const response = page('/topics/ai');
    const out = await injectPushCounts('/topics/ai/', response, hubEnv({ DB: broken }));
    expect(out).toBe(response);
    expect(await out.text()).toContain('data-push-feed="/topics/ai" hidden');
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('/topics/ai/'), expect.any(Error));
  });
});

describe('pageScope', () => {
  it.each([
    ['/', ''],
    ['/topics/ai/', '/topics/ai'],
    ['/providers/example.com/', '/providers/example.com'],
    ['/topics/%E6%97%A5/', '/topics/%E6%97%A5'],
    ['/topics/ai', undefined],
    ['/topics/ai/archive/2/', undefined],
    ['/feeds.json', undefined],
  ])('%s → %s', (path, scope) => {
    expect(pageScope(path)).toBe(scope);
  });
});

describe('as the worker serves them', () => {
  it('shows the count on a scope page, with its own ETag that answers 304', async () => {
    await subscribeAll('/topics/ai', { rss: 1 });
    const response = await SELF.fetch(`${ORIGIN}/topics/ai/`);
    const html = await response.text();
    expect(placeholder(html, '/topics/ai')).toContain('>1 push subscriber</p>');
    const etag = response.headers.get('ETag') ?? '';
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}-[0-9a-f]{8}"$/);
    const again = await SELF.fetch(`${ORIGIN}/topics/ai/`, { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
    expect(again.headers.get('ETag')).toBe(etag);
  });

  it('serves a page nobody subscribes to by push as stored', async () => {
    const stored = documentsOf(inject('fixtureBuild')).find((d) => d.path === '/topics/ai/');
    const response = await SELF.fetch(`${ORIGIN}/topics/ai/`);
    expect(await response.text()).toBe(stored?.body);
    expect(response.headers.get('ETag')).toBe(stored?.etag);
  });
});
