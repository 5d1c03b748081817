import { env, SELF } from 'cloudflare:test';
import fc from 'fast-check';
import { XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { documentOf, documentsOf } from './support/build-documents.ts';
import { loadBuild } from './support/load-build.ts';

// Property-based hostile requests: fast-check generates paths (real segments mixed with
// percent-encodings, unicode, dots and slashes), query strings, headers and methods, and
// every answer must keep the worker's promises. A failure prints the seed and the
// shrunk request; rerun with that seed to reproduce it.

/**
 * A property over every stored document (the ActivityPub actors and outboxes made them half
 * as many again): seconds on a busy machine, past vitest's default 5 s.
 */
const PROPERTY_TIMEOUT_MS = 30_000;
const ORIGIN = 'https://feeds.test';
const RUNS = 200;

/**
 * Every status the worker answers (src/worker): 200 a document or /healthz, 204 OPTIONS,
 * 301 canonical redirect, 304 conditional GET/HEAD, 404 nothing there, 405 other methods,
 * 503 no build loaded (not expected here, where one is). 500 is only for our own bugs.
 */
const DOCUMENTED_STATUSES = [200, 204, 301, 304, 404, 405, 503];

const build = inject('fixtureBuild');
const documentPaths = () => documentsOf(build).map((document) => document.path);
const etags = () => documentsOf(build).map((document) => document.etag);

beforeAll(async () => {
  await loadBuild(env.FEEDS, build);
});

/** A marker that must never come back raw: it would be markup in an HTML body. */
const marker = fc.stringMatching(/^[a-z0-9]{4,8}$/).map((nonce) => `<x-${nonce}>`);

const realSegment = fc.constantFrom(
  'topics',
  'providers',
  'ai',
  'cloud',
  'example.com',
  'EXAMPLE.COM',
  'rss.xml',
  'atom.xml',
  'feed.json',
  'opml.xml',
  'feeds.json',
  'healthz',
  'feed',
  'rss',
  'atom',
  'index.xml',
  'style.css',
  'icon.svg',
  'meta:build',
  '',
);
const dots = fc.constantFrom('.', '..', '%2e', '%2E%2e', '.%2e', '...');
const hex = (byte: number) => byte.toString(16).padStart(2, '0');
const percentByte = fc
  .tuple(fc.integer({ min: 0, max: 255 }), fc.boolean())
  .map(([byte, upper]) => `%${upper ? hex(byte).toUpperCase() : hex(byte)}`);
const trickyEscape = fc.constantFrom(
  '%2f',
  '%2F',
  '%5c',
  '%00',
  '%',
  '%z',
  '%c0%af',
  '%c0%ae',
  '%e0%80%af',
  '%ed%a0%80',
  '%f4%90%80%80',
  '%ef%bb%bf',
  '\\',
  ';',
  '?',
  '#',
  '//',
);
/** Text as a browser would send it: valid UTF-8, percent-encoded. */
const encodedText = fc.string({ unit: 'grapheme', maxLength: 6 }).map(encodeURIComponent);
const pathPiece = fc.oneof(
  { weight: 6, arbitrary: realSegment },
  { weight: 1, arbitrary: dots },
  { weight: 2, arbitrary: encodedText },
  { weight: 1, arbitrary: percentByte },
  { weight: 1, arbitrary: trickyEscape },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) },
  { weight: 3, arbitrary: marker },
);
const segment = fc.array(pathPiece, { minLength: 1, maxLength: 3 }).map((p) => p.join(''));
const path = fc.oneof(
  { weight: 9, arbitrary: fc.array(segment, { maxLength: 6 }).map((s) => `/${s.join('/')}`) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(segment, fc.integer({ min: 1000, max: 4000 }))
      .map(([piece, times]) => `/topics/${piece.repeat(times).slice(0, 16 * 1024)}/rss.xml`),
  },
);

/** Header values are ByteStrings without CR, LF or NUL: printable ASCII and tab. */
const headerText = fc.string({
  unit: fc.oneof(
    fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)),
    fc.constant('\t'),
  ),
  maxLength: 40,
});
const withMarker = fc.tuple(headerText, marker).map(([text, mark]) => `${text}${mark}`);
const httpDate = fc
  .date({ min: new Date(0), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true })
  .map((date) => date.toUTCString());

const query = fc.oneof(
  fc.constant(''),
  fc
    .array(fc.tuple(fc.oneof(headerText, marker), fc.oneof(headerText, percentByte, marker)), {
      maxLength: 5,
    })
    .map((pairs) => `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`),
  fc.integer({ min: 1, max: 4096 }).map((times) => `?${'a=b&'.repeat(times)}`),
);

const headers = fc.record(
  {
    Accept: fc.oneof(
      fc.constantFrom(
        'text/html',
        'application/json',
        '*/*',
        'text/html;q=0',
        'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
      ),
      headerText,
      withMarker,
    ),
    'If-None-Match': fc.oneof(
      fc.constant('*'),
      fc.constantFrom(...etags()),
      fc.constantFrom(...etags()).map((etag) => `W/${etag}`),
      headerText.map((text) => `"${text.replaceAll('"', '')}"`),
      headerText,
      withMarker,
    ),
    'If-Modified-Since': fc.oneof(httpDate, headerText, withMarker),
    Range: fc.oneof(
      fc.tuple(fc.nat(5000), fc.nat(5000)).map(([from, to]) => `bytes=${from}-${to}`),
      headerText,
    ),
    Origin: fc.oneof(fc.constantFrom('https://reader.example', 'null'), headerText, withMarker),
  },
  { requiredKeys: [] },
);

const method = fc.constantFrom(
  'GET',
  'GET',
  'GET',
  'HEAD',
  'OPTIONS',
  'POST',
  'PUT',
  'DELETE',
  'PATCH',
  'PROPFIND',
  'TRACE',
  'get',
  'head',
);

type Answer = { status: number; headers: Headers; body: string };

async function send(url: string, init: RequestInit): Promise<Answer> {
  const response = await SELF.fetch(url, { ...init, redirect: 'manual' });
  const body = await response.text();
  return { status: response.status, headers: response.headers, body };
}

/** The body is what its Content-Type says it is. */
function expectBodyMatchesType(answer: Answer, where: string): void {
  const type = (answer.headers.get('Content-Type') ?? '').split(';')[0]?.trim() ?? '';
  if (type === 'text/html') {
    expect(answer.body, where).toMatch(/^<!doctype html>/i);
  } else if (
    ['application/json', 'application/feed+json', 'application/activity+json'].includes(type)
  ) {
    expect(() => JSON.parse(answer.body), where).not.toThrow();
  } else if (
    /^(application\/(rss|atom)\+xml|text\/x-opml|application\/xml|image\/svg\+xml)$/.test(type)
  ) {
    expect(XMLValidator.validate(answer.body), where).toBe(true);
  } else {
    expect(type, `${where}: unexpected Content-Type`).toBe('text/css');
  }
}

describe('property: any request gets a documented, well-formed answer that reflects nothing', () => {
  it(
    `holds over ${RUNS} generated requests`,
    async () => {
      await fc.assert(
        fc.asyncProperty(
          path,
          query,
          headers,
          method,
          async (generatedPath, generatedQuery, generatedHeaders, generatedMethod) => {
            let url: string;
            try {
              url = new URL(`${ORIGIN}${generatedPath}${generatedQuery}`).href;
            } catch {
              fc.pre(false);
              return;
            }
            const where = `${generatedMethod} ${url.slice(0, 300)}`;
            const answer = await send(url, { method: generatedMethod, headers: generatedHeaders });

            expect(DOCUMENTED_STATUSES, where).toContain(answer.status);
            expect(answer.status, `${where}: 5xx with a build loaded`).toBeLessThan(500);
            expect(answer.headers.get('X-Build-Id'), where).toBe(build.record.buildId);

            const isHead = generatedMethod.toUpperCase() === 'HEAD';
            if (isHead || [204, 301, 304].includes(answer.status)) {
              expect(answer.body, where).toBe('');
            } else {
              expect(answer.body.length, where).toBeGreaterThan(0);
              expectBodyMatchesType(answer, where);
            }
            if (answer.status === 405) expect(answer.headers.get('Allow'), where).toBeTruthy();
            if (answer.status === 301) {
              expect(answer.headers.get('Location'), where).toMatch(/^\/(?![/\\])[^\\]*$/);
            }

            // No generated marker comes back raw, in the body or in any header.
            const sent = `${generatedPath}${generatedQuery}${Object.values(generatedHeaders).join('')}`;
            for (const mark of sent.match(/<x-[a-z0-9]{4,8}>/g) ?? []) {
              expect(answer.body.includes(mark), `${where}: ${mark} reflected in the body`).toBe(
                false,
              );
              for (const [name, value] of answer.headers) {
                expect(value.includes(mark), `${where}: ${mark} reflected in ${name}`).toBe(false);
              }
            }
            if (answer.headers.get('Content-Type')?.startsWith('text/html')) {
              expect(answer.body, where).not.toMatch(/<x-/);
            }
          },
        ),
        { numRuns: RUNS },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});

describe('property: what a document does not depend on does not change it', () => {
  it(
    'answers every stored document the same whatever the query, Range, Origin or Accept',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...documentPaths()),
          query,
          headers.map(({ Accept, Range, Origin }) => ({ Accept, Range, Origin })),
          async (documentPath, generatedQuery, generatedHeaders) => {
            const defined: Record<string, string> = {};
            for (const [name, value] of Object.entries(generatedHeaders)) {
              if (value !== undefined) defined[name] = value;
            }
            const plain = await send(`${ORIGIN}${documentPath}`, {});
            const varied = await send(`${ORIGIN}${documentPath}${generatedQuery}`, {
              headers: defined,
            });
            expect(varied.status).toBe(200);
            expect(varied.body).toBe(plain.body);
            for (const name of ['Content-Type', 'ETag', 'Last-Modified', 'Cache-Control']) {
              expect(varied.headers.get(name), name).toBe(plain.headers.get(name));
            }
          },
        ),
        { numRuns: 100 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'answers 304 when the current ETag is anywhere in an If-None-Match list',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...documentPaths()),
          fc.array(fc.constantFrom(...etags(), '"old"', 'W/"older"', 'junk', ''), { maxLength: 8 }),
          fc.nat(),
          fc.boolean(),
          async (documentPath, others, position, weak) => {
            const { etag } = documentOf(build, documentPath);
            const list = [...others];
            list.splice(position % (list.length + 1), 0, weak ? `W/${etag}` : etag);
            const answer = await send(`${ORIGIN}${documentPath}`, {
              headers: { 'If-None-Match': list.join(', ') },
            });
            expect(answer.status).toBe(304);
            expect(answer.body).toBe('');
            expect(answer.headers.get('ETag')).toBe(etag);
          },
        ),
        { numRuns: 100 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
