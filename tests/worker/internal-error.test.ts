import { env, SELF } from 'cloudflare:test';
import { afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { loadBundle } from './support/load-bundle.ts';

const ORIGIN = 'https://feeds.test';

beforeAll(async () => {
  await loadBundle(env.FEEDS, inject('bundleEntries'));
  // A document the build could never write: no metadata, so its headers are unknown.
  await env.FEEDS.put('doc:/topics/broken/rss.xml', '<rss/>');
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('500 only for our own bugs', () => {
  it('answers 500 without a stack trace when a stored document breaks the metadata contract', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const response = await SELF.fetch(`${ORIGIN}/topics/broken/rss.xml`);
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ status: 500, error: 'internal-error', index: '/' });
    expect(text).not.toMatch(/CorruptDocumentError|\.ts:\d+|\bat /);
  });

  it('logs the method and path of a 500', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const response = await SELF.fetch(`${ORIGIN}/topics/broken/rss.xml`, {
      headers: { Accept: 'text/html' },
    });
    await response.arrayBuffer();
    expect(response.status).toBe(500);
    expect(log).toHaveBeenCalledWith(
      expect.stringContaining('GET /topics/broken/rss.xml'),
      expect.any(Error),
    );
  });
});
