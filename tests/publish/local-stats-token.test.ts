import { describe, expect, it } from 'vitest';
import { localStatsToken } from '../../src/publish/local-stats-token.ts';

describe('the STATS_TOKEN npm start serves with', () => {
  it("is the environment's when set", () => {
    expect(localStatsToken({ STATS_TOKEN: 'from-env' }, 'STATS_TOKEN=from-file\n')).toEqual({
      token: 'from-env',
      source: 'environment',
    });
  });

  it('is the one .dev.vars names, quoted or not, so that --var does not override it', () => {
    expect(localStatsToken({}, 'DEPLOY_TOKEN=x\nSTATS_TOKEN="from file"\n')).toEqual({
      token: 'from file',
      source: '.dev.vars',
    });
    expect(localStatsToken({}, 'STATS_TOKEN=abc')).toEqual({ token: 'abc', source: '.dev.vars' });
  });

  it('is a new random one otherwise, different on each start', () => {
    const first = localStatsToken({ STATS_TOKEN: '' }, 'OTHER=1\n');
    const second = localStatsToken({}, undefined);
    expect(first.source).toBe('made for this run');
    expect(first.token).toMatch(/^[0-9a-f]{48}$/);
    expect(second.token).not.toBe(first.token);
  });
});
