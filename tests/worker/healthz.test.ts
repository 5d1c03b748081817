import { env, SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { BuildRecordSchema } from '../../src/core/document-record.ts';
import { loadBundle } from './support/load-bundle.ts';

beforeAll(async () => {
  await loadBundle(env.FEEDS, inject('bundleEntries'));
});

function loadedRecord() {
  const entry = inject('bundleEntries').find((candidate) => candidate.key === 'meta:build');
  if (entry === undefined) throw new Error('fixture bundle has no meta:build');
  return BuildRecordSchema.parse(JSON.parse(entry.value));
}

describe('/healthz', () => {
  it('answers 200 with the build id, build time and counts of the loaded bundle', async () => {
    const response = await SELF.fetch('https://feeds.test/healthz');
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('application/json; charset=utf-8');
    const record = loadedRecord();
    expect(await response.json()).toEqual({
      status: 'ok',
      buildId: record.buildId,
      builtAt: record.builtAt,
      generator: record.generator,
      counts: record.counts,
    });
  });

  it('is never stored by caches, so a monitor sees the namespace as it is now', async () => {
    const response = await SELF.fetch('https://feeds.test/healthz');
    await response.arrayBuffer();
    expect(response.headers.get('Cache-Control')).toBe('no-store');
  });

  it('answers HEAD with 200 and no body', async () => {
    const response = await SELF.fetch('https://feeds.test/healthz', { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });
});
