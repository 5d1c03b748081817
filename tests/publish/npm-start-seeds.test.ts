// `npm start` as a newcomer types it, on the repository's own seeds/: the run's shared server
// (tests/support/shared-servers.ts), which other read-only checks of it use too.
import { describe, expect, it } from 'vitest';
import { isSubscriptionPath } from '../../src/core/document-paths.ts';
import { sharedNpmStart } from '../support/shared-servers.ts';
import { readStoredBuild } from '../support/stored-build.ts';

describe('npm start on seeds/', { timeout: 180_000 }, () => {
  it('serves every subscription document of the build it made, from that build', async () => {
    const server = await sharedNpmStart();
    const build = readStoredBuild(server.outDir);
    const feeds = build.paths.filter(isSubscriptionPath);
    expect(feeds.length).toBeGreaterThan(0);
    for (const path of feeds) {
      const response = await fetch(`${server.origin}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('X-Build-Id'), path).toBe(build.buildId);
      expect(await response.text(), path).toBe(build.text(path));
    }
  });

  it('keeps /stats.json from anyone without its STATS_TOKEN', async () => {
    const server = await sharedNpmStart();
    const without = await fetch(`${server.origin}/stats.json`);
    await without.arrayBuffer();
    expect(without.status).toBe(401);
    const withToken = await fetch(`${server.origin}/stats.json`, {
      headers: { Authorization: `Bearer ${server.statsToken}` },
    });
    expect(withToken.status, await withToken.text()).toBe(200);
  });
});
