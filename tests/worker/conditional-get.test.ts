import { env, SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { loadBuild } from './support/load-build.ts';

const URL_ = 'https://feeds.test/topics/cloud/rss.xml';
let etag = '';
let lastModified = '';

beforeAll(async () => {
  await loadBuild(env.FEEDS, inject('fixtureBuild'));
  const response = await SELF.fetch(URL_);
  await response.arrayBuffer();
  etag = response.headers.get('ETag') ?? '';
  lastModified = response.headers.get('Last-Modified') ?? '';
  expect(etag).not.toBe('');
  expect(lastModified).not.toBe('');
});

async function fetchWith(headers: Record<string, string>, method = 'GET') {
  const response = await SELF.fetch(URL_, { method, headers });
  return { response, body: await response.text() };
}

const later = 'Wed, 27 Oct 2021 10:29:00 GMT';
const earlier = 'Mon, 25 Oct 2021 10:29:00 GMT';

describe('conditional GET (RFC 9110 §13)', () => {
  it('answers 304 when If-None-Match is the current ETag (RFC 9110 §13.1.2)', async () => {
    const { response, body } = await fetchWith({ 'If-None-Match': etag });
    expect(response.status).toBe(304);
    expect(body).toBe('');
  });

  it('answers 304 when If-None-Match lists the current ETag (RFC 9110 §13.1.2)', async () => {
    const { response } = await fetchWith({ 'If-None-Match': `"old", ${etag}, "older"` });
    expect(response.status).toBe(304);
  });

  it('answers 304 when If-None-Match holds the weak form of the ETag (weak comparison, RFC 9110 §8.8.3.2)', async () => {
    const { response } = await fetchWith({ 'If-None-Match': `W/${etag}` });
    expect(response.status).toBe(304);
  });

  it('answers 304 when If-None-Match is * and the document exists (RFC 9110 §13.1.2)', async () => {
    const { response } = await fetchWith({ 'If-None-Match': '*' });
    expect(response.status).toBe(304);
  });

  it('answers 200 with the body when If-None-Match names another ETag', async () => {
    const { response, body } = await fetchWith({ 'If-None-Match': '"something-else"' });
    expect(response.status).toBe(200);
    expect(body.length).toBeGreaterThan(0);
  });

  it('answers 200 when If-None-Match holds the ETag without its quotes (not an entity-tag)', async () => {
    const { response } = await fetchWith({ 'If-None-Match': etag.slice(1, -1) });
    expect(response.status).toBe(200);
  });

  it('answers 304 when If-Modified-Since is the Last-Modified date (RFC 9110 §13.1.3)', async () => {
    const { response } = await fetchWith({ 'If-Modified-Since': lastModified });
    expect(response.status).toBe(304);
  });

  it('answers 304 when If-Modified-Since is later than Last-Modified (RFC 9110 §13.1.3)', async () => {
    const { response } = await fetchWith({ 'If-Modified-Since': later });
    expect(response.status).toBe(304);
  });

  it('answers 200 when If-Modified-Since is earlier than Last-Modified (RFC 9110 §13.1.3)', async () => {
    const { response } = await fetchWith({ 'If-Modified-Since': earlier });
    expect(response.status).toBe(200);
  });

  it('accepts the obsolete RFC 850 and asctime date forms in If-Modified-Since (RFC 9110 §5.6.7)', async () => {
    const rfc850 = await fetchWith({ 'If-Modified-Since': 'Wednesday, 27-Oct-21 10:29:00 GMT' });
    expect(rfc850.response.status).toBe(304);
    const asctime = await fetchWith({ 'If-Modified-Since': 'Wed Oct 27 10:29:00 2021' });
    expect(asctime.response.status).toBe(304);
  });

  it('ignores a malformed If-Modified-Since and answers 200 (RFC 9110 §13.1.3)', async () => {
    for (const value of [
      'yesterday',
      '2021-10-27',
      'Wed, 32 Oct 2021 99:99:99 GMT',
      `${later}, ${later}`,
    ]) {
      const { response } = await fetchWith({ 'If-Modified-Since': value });
      expect(response.status, value).toBe(200);
    }
  });

  it('lets If-None-Match take precedence over If-Modified-Since: a mismatch answers 200 (RFC 9110 §13.2.2)', async () => {
    const { response } = await fetchWith({
      'If-None-Match': '"stale"',
      'If-Modified-Since': later,
    });
    expect(response.status).toBe(200);
  });

  it('lets If-None-Match take precedence over If-Modified-Since: a match answers 304 (RFC 9110 §13.2.2)', async () => {
    const { response } = await fetchWith({ 'If-None-Match': etag, 'If-Modified-Since': earlier });
    expect(response.status).toBe(304);
  });

  it('sends ETag, Cache-Control, Last-Modified and Vary on a 304 and no Content-Type (RFC 9110 §15.4.5)', async () => {
    const { response, body } = await fetchWith({ 'If-None-Match': etag });
    expect(response.status).toBe(304);
    expect(body).toBe('');
    expect(response.headers.get('ETag')).toBe(etag);
    expect(response.headers.get('Last-Modified')).toBe(lastModified);
    expect(response.headers.get('Cache-Control')).toMatch(/^public, max-age=\d+/);
    expect(response.headers.get('Vary')).toBe('Accept-Encoding, Sec-Fetch-Dest, Sec-Fetch-Mode');
    expect(response.headers.get('Content-Type')).toBeNull();
  });

  it('keeps Access-Control-Allow-Origin on a 304 so a cross-origin reader can see it', async () => {
    const { response } = await fetchWith({
      'If-None-Match': etag,
      Origin: 'https://reader.example',
    });
    expect(response.status).toBe(304);
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('*');
  });

  it('answers 304 to a conditional HEAD as to a GET (RFC 9110 §13.2.2)', async () => {
    const { response, body } = await fetchWith({ 'If-None-Match': etag }, 'HEAD');
    expect(response.status).toBe(304);
    expect(body).toBe('');
  });
});
