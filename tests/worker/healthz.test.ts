import { createExecutionContext, env, SELF, waitOnExecutionContext } from 'cloudflare:test';
import { beforeEach, describe, expect, inject, it } from 'vitest';
import { app } from '../../src/worker/app.ts';
import { forgetPointer } from '../../src/worker/store/read-pointer.ts';
import { countKvReads } from './support/count-kv-reads.ts';
import { loadBuild } from './support/load-build.ts';

const ORIGIN = 'https://feeds.test';
const fixture = inject('fixtureBuild');
const paged = inject('pagedBuild');

beforeEach(async () => {
  forgetPointer();
  await loadBuild(env.FEEDS, fixture, { switchedAt: '2026-01-01T00:00:00.000Z' });
});

async function health() {
  const response = await SELF.fetch(`${ORIGIN}/healthz`);
  return { response, body: await response.json<Record<string, unknown>>() };
}

describe('/healthz', () => {
  it('answers 200 with the id, time, generator, counts and switch time of the build served', async () => {
    const { response, body } = await health();
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('application/json; charset=utf-8');
    const { buildId, builtAt, generator, counts } = fixture.record;
    expect(body).toEqual({
      status: 'ok',
      buildId,
      builtAt,
      generator,
      counts,
      switchedAt: '2026-01-01T00:00:00.000Z',
      kept: [],
    });
  });

  it('lists the builds kept for rollback, most recently served first, with when each was retired', async () => {
    // An older build the pointer still keeps: only its record matters to /healthz.
    const older = {
      ...paged.record,
      buildId: '00000000000000aa',
      switchedAt: '2025-12-01T00:00:00.000Z',
      retiredAt: '2026-01-02T00:00:00.000Z',
    };
    const second = await loadBuild(env.FEEDS, paged, {
      switchedAt: '2026-01-02T00:00:00.000Z',
      kept: [older],
    });
    await loadBuild(env.FEEDS, fixture, {
      switchedAt: '2026-01-03T00:00:00.000Z',
      kept: second.builds,
    });
    const { response, body } = await health();
    expect(response.status).toBe(200);
    expect(body).toMatchObject({ buildId: fixture.record.buildId });
    expect(body.kept).toEqual([
      {
        buildId: paged.record.buildId,
        builtAt: paged.record.builtAt,
        switchedAt: '2026-01-02T00:00:00.000Z',
        retiredAt: '2026-01-03T00:00:00.000Z',
        counts: paged.record.counts,
      },
      {
        buildId: '00000000000000aa',
        builtAt: paged.record.builtAt,
        switchedAt: '2025-12-01T00:00:00.000Z',
        retiredAt: '2026-01-02T00:00:00.000Z',
        counts: paged.record.counts,
      },
    ]);
  });

  it('names the build it reports in X-Build-Id', async () => {
    const { response } = await health();
    expect(response.headers.get('X-Build-Id')).toBe(fixture.record.buildId);
  });

  it('reads the pointer afresh, not the copy the isolate holds, so it reports a switch at once', async () => {
    const holding = { ...env, BUILD_POINTER_SECONDS: '3600' };
    const before = await app.request(`${ORIGIN}/rss.xml`, {}, holding, createExecutionContext());
    await before.arrayBuffer();
    expect(before.headers.get('X-Build-Id')).toBe(fixture.record.buildId);

    const pointer = await loadBuild(env.FEEDS, paged, { switchedAt: '2026-01-02T00:00:00.000Z' });
    const counted = countKvReads(env.FEEDS);
    const ctx = createExecutionContext();
    const after = await app.request(
      `${ORIGIN}/healthz`,
      {},
      { ...holding, FEEDS: counted.namespace },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(await after.json()).toMatchObject({ buildId: pointer.current });
    expect(after.headers.get('X-Build-Id')).toBe(paged.record.buildId);
    expect(counted.calls).toEqual(['get meta:current']);
  });

  it('is never stored by caches, so a monitor sees the namespace as it is now', async () => {
    const { response } = await health();
    expect(response.headers.get('Cache-Control')).toBe('no-store');
  });

  it('answers HEAD with 200 and no body', async () => {
    const response = await SELF.fetch(`${ORIGIN}/healthz`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });
});
