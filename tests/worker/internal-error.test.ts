import { env, SELF } from 'cloudflare:test';
import { afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { loadBuild } from './support/load-build.ts';

const ORIGIN = 'https://feeds.test';
const build = inject('fixtureBuild');

beforeAll(async () => {
  await loadBuild(env.FEEDS, build);
});

afterEach(() => {
  vi.restoreAllMocks();
});

/**
 * Every value the worker reads is validated, so stored data cannot make it fail: a bug of
 * ours is simulated instead, by making the date formatting that Last-Modified uses throw.
 */
function breakOurCode() {
  vi.spyOn(Date.prototype, 'toUTCString').mockImplementation(() => {
    throw new TypeError('simulated bug');
  });
}

describe('500 only for our own bugs', () => {
  it('answers 500 without a stack trace when serving a document throws unexpectedly', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    breakOurCode();
    const response = await SELF.fetch(`${ORIGIN}/topics/ai/rss.xml`);
    expect(response.status).toBe(500);
    expect(response.headers.get('X-Build-Id')).toBe(build.record.buildId);
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ status: 500, error: 'internal-error', index: '/' });
    expect(text).not.toMatch(/simulated bug|TypeError|\.ts:\d+|\bat /);
  });

  it('logs the method and path of a 500', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    breakOurCode();
    const response = await SELF.fetch(`${ORIGIN}/topics/ai/rss.xml`, {
      headers: { Accept: 'text/html' },
    });
    await response.arrayBuffer();
    expect(response.status).toBe(500);
    expect(log).toHaveBeenCalledWith(
      expect.stringContaining('GET /topics/ai/rss.xml'),
      expect.any(TypeError),
    );
  });
});
