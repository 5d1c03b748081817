import { createExecutionContext, env, SELF, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { app } from '../../src/worker/app.ts';
import { forgetPointer } from '../../src/worker/store/read-pointer.ts';
import { documentOf } from './support/build-documents.ts';
import { countKvReads } from './support/count-kv-reads.ts';
import { loadBuild } from './support/load-build.ts';

// Requests a hostile or broken client sends, beyond the paths in hostile-paths.test.ts:
// query strings, odd methods, huge and malformed conditional headers, Range, Accept.

const ORIGIN = 'https://feeds.test';
const KB16 = 16 * 1024;

const build = inject('fixtureBuild');

beforeAll(async () => {
  await loadBuild(env.FEEDS, build);
});

function storedEtag(path: string): string {
  return documentOf(build, path).etag;
}

async function fetchText(url: string, init: RequestInit = {}) {
  const response = await SELF.fetch(url, init);
  return { response, body: await response.text() };
}

let hosts = 0;
/** A request through the app, the pointer held, with a log of its KV calls. */
async function countedRequest(url: string, init: RequestInit = {}) {
  const counted = countKvReads(env.FEEDS);
  const ctx = createExecutionContext();
  const bindings = { ...env, FEEDS: counted.namespace, BUILD_POINTER_SECONDS: '3600' };
  const response = await app.request(url, init, bindings, ctx);
  const body = await response.text();
  await waitOnExecutionContext(ctx);
  return { response, body, kvCalls: counted.calls };
}

describe('query strings are ignored: a document is chosen by its path alone', () => {
  it.each([
    ['an unknown parameter', '?utm_source=reader'],
    ['a repeated parameter', '?page=1&page=2&page=3'],
    ['markup in names and values', '?<script>alert(1)</script>=%22%3E%3Cimg%20onerror%3Dx%3E'],
    ['a NUL byte and broken escapes', '?x=%00&y=%&z=%c0%af'],
    ['a lone question mark', '?'],
    ['a 16 KB query string', `?${'a=b&'.repeat(KB16 / 4)}`],
    ['a 16 KB value', `?q=${'%ff'.repeat(KB16 / 3)}`],
  ])('answers %s with the same bytes and validators as no query', async (_name, query) => {
    const plain = await fetchText(`${ORIGIN}/topics/ai/rss.xml`);
    const queried = await fetchText(`${ORIGIN}/topics/ai/rss.xml${query}`);
    expect(queried.response.status).toBe(200);
    expect(queried.body).toBe(plain.body);
    expect(queried.response.headers.get('ETag')).toBe(plain.response.headers.get('ETag'));
    expect(queried.response.headers.get('Content-Type')).toBe(
      plain.response.headers.get('Content-Type'),
    );
  });

  it('shares one edge-cache entry between every query string of a path', async () => {
    forgetPointer();
    const origin = `https://query-${++hosts}.test`;
    const first = await countedRequest(`${origin}/feed.json?a=1`);
    expect(first.kvCalls).toContain(`get c:${documentOf(build, '/feed.json').hash}`);
    for (const query of ['', '?a=2', '?a=1&a=1', `?${'b'.repeat(KB16)}`]) {
      const again = await countedRequest(`${origin}/feed.json${query}`);
      expect(again.kvCalls, query).toEqual([]);
      expect(again.body, query).toBe(first.body);
    }
  });

  it('answers 304 to a conditional request whatever its query string', async () => {
    const { response, body } = await fetchText(`${ORIGIN}/rss.xml?nocache=${Date.now()}`, {
      headers: { 'If-None-Match': storedEtag('/rss.xml') },
    });
    expect(response.status).toBe(304);
    expect(body).toBe('');
  });

  it('drops the query string from a canonical redirect', async () => {
    const response = await SELF.fetch(`${ORIGIN}/topics/ai/feed?x=1&x=2`, { redirect: 'manual' });
    expect(response.status).toBe(301);
    expect(response.headers.get('Location')).toBe('/topics/ai/rss.xml');
  });

  it('keeps a query string out of a 404 message', async () => {
    const { response, body } = await fetchText(`${ORIGIN}/topics/nope/rss.xml?<b>x</b>`, {
      headers: { Accept: 'text/html' },
    });
    expect(response.status).toBe(404);
    expect(body).not.toContain('<b>');
    expect(body).not.toContain('%3Cb%3E');
  });
});

describe('odd methods', () => {
  it.each(['PROPFIND', 'MKCOL', 'TRACE', 'LOCK', 'PURGE'])(
    'answers %s with 405, Allow and a JSON problem',
    async (method) => {
      const { response, body } = await fetchText(`${ORIGIN}/rss.xml`, { method });
      expect(response.status).toBe(405);
      expect(response.headers.get('Allow')).toBe('GET, HEAD, OPTIONS');
      expect(JSON.parse(body)).toMatchObject({ status: 405, error: 'method-not-allowed' });
    },
  );

  it('does not echo a TRACE request back (no XST: RFC 9110 §9.3.8 lets a server refuse)', async () => {
    const { response, body } = await fetchText(`${ORIGIN}/rss.xml`, {
      method: 'TRACE',
      headers: { 'X-Secret': 'cookie-value-123' },
    });
    expect(response.status).toBe(405);
    expect(body).not.toContain('cookie-value-123');
    expect(response.headers.get('Content-Type')).not.toMatch(/message\/http/);
  });

  it.each([
    ['get', 200],
    ['head', 200],
    ['options', 204],
    ['propfind', 405],
    ['patch', 405],
  ])('treats lowercase %s as its upper-case method', async (method, status) => {
    const { response } = await fetchText(`${ORIGIN}/rss.xml`, { method });
    expect(response.status).toBe(status);
  });

  it.each(['CONNECT', 'TRACK', 'M-SEARCH'])(
    'never sees %s: the runtime refuses it before the worker runs',
    (method) => {
      // Fetch forbids CONNECT, TRACE-like TRACK and unknown verbs; over real HTTP the
      // load test (bench/loadtest.ts) sends them raw to `wrangler dev`.
      expect(() => new Request(`${ORIGIN}/rss.xml`, { method })).toThrow(TypeError);
    },
  );
});

describe('malformed and huge conditional headers', () => {
  const etag = () => storedEtag('/topics/cloud/rss.xml');
  const url = `${ORIGIN}/topics/cloud/rss.xml`;

  it.each([
    ['16 KB of one tag', () => `"${'a'.repeat(KB16)}"`],
    ['16 KB without a closing quote', () => `"${'a'.repeat(KB16)}`],
    ['16 KB of quotes', () => '"'.repeat(KB16)],
    ['16 KB of W/ prefixes', () => 'W/'.repeat(KB16 / 2)],
    ['16 KB of commas', () => ','.repeat(KB16)],
    ['a star among tags', () => '"x", *'],
    ['an unquoted tag', () => 'abc'],
    ['an empty value', () => ''],
  ])('answers If-None-Match with %s by 200 and the document', async (_name, value) => {
    const { response, body } = await fetchText(url, { headers: { 'If-None-Match': value() } });
    expect(response.status).toBe(200);
    expect(body).toMatch(/^<\?xml/);
  });

  it('answers 304 when the current tag is the last of 16 KB of other tags', async () => {
    const others = Array.from({ length: 1500 }, (_, index) => `"old-${index}"`).join(', ');
    expect(others.length).toBeGreaterThan(KB16);
    const { response } = await fetchText(url, {
      headers: { 'If-None-Match': `${others}, ${etag()}` },
    });
    expect(response.status).toBe(304);
  });

  it.each([
    ['16 KB of a date repeated', `${'Wed, 27 Oct 2021 10:29:00 GMT, '.repeat(530)}`],
    ['a date in year 275760', 'Sat, 13 Sep 275760 00:00:00 GMT'],
    ['a date in year 0', 'Mon, 01 Jan 0000 00:00:00 GMT'],
    ['a negative epoch', '-1'],
    ['a number', '1635330540'],
    ['an ISO date', '2030-01-01T00:00:00Z'],
    ['a month that does not exist', 'Wed, 27 Foo 2030 10:29:00 GMT'],
  ])('ignores If-Modified-Since with %s (RFC 9110 §13.1.3)', async (_name, value) => {
    const { response } = await fetchText(url, { headers: { 'If-Modified-Since': value } });
    expect(response.status).toBe(200);
  });

  it('answers 304 when 16 KB of spaces surround a valid later date (OWS is trimmed)', async () => {
    const padded = `${' '.repeat(KB16)}Wed, 27 Oct 2100 10:29:00 GMT${' '.repeat(KB16)}`;
    const { response } = await fetchText(url, { headers: { 'If-Modified-Since': padded } });
    expect(response.status).toBe(304);
  });

  it('answers a conditional 404 with the 404 (a precondition never hides a missing document)', async () => {
    const { response } = await fetchText(`${ORIGIN}/topics/nope/rss.xml`, {
      headers: { 'If-None-Match': '*', 'If-Modified-Since': 'Wed, 27 Oct 2100 10:29:00 GMT' },
    });
    expect(response.status).toBe(404);
  });
});

describe('Range is ignored: every GET is answered 200 with the whole document', () => {
  it.each([
    ['a first-bytes range', 'bytes=0-10'],
    ['a suffix range', 'bytes=-5'],
    ['a range past the end', 'bytes=100000000-'],
    ['many ranges', 'bytes=0-0,1-1,2-2,3-3,4-4'],
    ['a backwards range', 'bytes=10-5'],
    ['an unknown unit', 'items=0-1'],
    ['an empty range set', 'bytes='],
    ['16 KB of overlapping ranges', `bytes=${'0-1,'.repeat(KB16 / 4)}`],
  ])(
    'answers Range with %s by 200, the full body and Accept-Ranges: none (RFC 9110 §14.2, §14.3)',
    async (_name, range) => {
      const full = await fetchText(`${ORIGIN}/atom.xml`);
      const ranged = await fetchText(`${ORIGIN}/atom.xml`, { headers: { Range: range } });
      expect(ranged.response.status).toBe(200);
      expect(ranged.response.headers.get('Content-Range')).toBeNull();
      expect(ranged.response.headers.get('Accept-Ranges')).toBe('none');
      expect(ranged.body).toBe(full.body);
    },
  );

  it('ignores If-Range with Range too', async () => {
    const { response } = await fetchText(`${ORIGIN}/atom.xml`, {
      headers: { Range: 'bytes=0-1', 'If-Range': storedEtag('/atom.xml') },
    });
    expect(response.status).toBe(200);
  });

  it('still answers 304 to a conditional request that also asks for a Range', async () => {
    const { response } = await fetchText(`${ORIGIN}/atom.xml`, {
      headers: { Range: 'bytes=0-1', 'If-None-Match': storedEtag('/atom.xml') },
    });
    expect(response.status).toBe(304);
  });
});

describe('absurd Accept values do not change a document and only pick the problem format', () => {
  it.each([
    ['16 KB of one type', 'application/x-nothing, '.repeat(KB16 / 23)],
    ['16 KB ending in text/html', `${'a/b;q=0.1, '.repeat(KB16 / 11)}text/html`],
    ['no type at all', ';;;,,,;q=,'],
    ['only q=0 for everything', '*/*;q=0'],
    ['a nonsense q', 'application/rss+xml;q=banana'],
    ['markup', '<script>alert(1)</script>'],
  ])(
    'serves /rss.xml as RSS for Accept with %s (no 406: a feed has one form)',
    async (_name, accept) => {
      const { response, body } = await fetchText(`${ORIGIN}/rss.xml`, {
        headers: { Accept: accept },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('Content-Type')).toBe('application/rss+xml; charset=utf-8');
      expect(body).toMatch(/^<\?xml/);
    },
  );

  it('answers a 404 as HTML when a 16 KB Accept lists text/html last', async () => {
    const accept = `${'a/b;q=0.1, '.repeat(KB16 / 11)}text/html`;
    const { response, body } = await fetchText(`${ORIGIN}/nowhere`, {
      headers: { Accept: accept },
    });
    expect(response.status).toBe(404);
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(body).toMatch(/^<!doctype html>/i);
  });

  it.each([
    ['look-alike types', 'text/htmlx, text/html-ish, xtext/html'],
    ['text/html refused with q=0 (RFC 9110 §12.4.2)', 'text/html;q=0, application/json'],
    ['text/html refused with q=0.000', 'TEXT/HTML ; Q = 0.000'],
    ['only a wildcard', '*/*'],
  ])('answers a 404 as JSON for Accept with %s', async (_name, accept) => {
    const { response, body } = await fetchText(`${ORIGIN}/nowhere`, {
      headers: { Accept: accept },
    });
    expect(response.status).toBe(404);
    expect(JSON.parse(body)).toMatchObject({ status: 404, error: 'not-found' });
  });

  it.each([
    ['upper case', 'TEXT/HTML'],
    ['a low but non-zero q', 'text/html;q=0.001'],
    ['parameters', 'text/html; charset=utf-8; level=1'],
  ])('answers a 404 as HTML for Accept with text/html in %s', async (_name, accept) => {
    const { response, body } = await fetchText(`${ORIGIN}/nowhere`, {
      headers: { Accept: accept },
    });
    expect(response.status).toBe(404);
    expect(body).toMatch(/^<!doctype html>/i);
  });
});

describe('problem answers are never read as markup', () => {
  it('escapes <, > and & in a JSON problem so no input appears raw in it', async () => {
    const { response, body } = await fetchText(`${ORIGIN}/<x-marker>&amp;/rss.xml`, {
      headers: { Accept: 'application/json' },
    });
    expect(response.status).toBe(404);
    expect(body).not.toMatch(/[<>&]/);
    expect(JSON.parse(body).message).toContain('<x-marker>&amp;');
  });

  it('sends X-Content-Type-Options: nosniff on JSON problems too', async () => {
    const response = await SELF.fetch(`${ORIGIN}/nowhere`, { headers: { Accept: '*/*' } });
    await response.arrayBuffer();
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
  });
});
