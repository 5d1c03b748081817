// The site URL local commands build with when not told one: `npm start` the origin it serves,
// `deploy --local` the served build's (so that WebSub topics stay put across deploys).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POINTER_KEY } from '../../src/core/store-keys.ts';
import { givesSiteUrl, servedSiteUrl, withSiteUrl } from '../../src/publish/local-site-url.ts';
import type { StandIn } from '../support/cloudflare-api/stand-in.ts';
import {
  buildSeeds,
  deployBuild,
  NAMESPACE,
  SITE_A,
  standInTarget,
  startAccount,
  tempDir,
} from '../support/publish-fixtures.ts';

let standIn: StandIn;
beforeAll(async () => {
  standIn = await startAccount();
});
afterAll(() => standIn.close());

describe('withSiteUrl', () => {
  it('adds --site-url to build flags that name none', () => {
    expect(withSiteUrl(['--seeds', 's', '--quiet'], 'http://127.0.0.1:8811')).toEqual([
      '--seeds',
      's',
      '--quiet',
      '--site-url',
      'http://127.0.0.1:8811',
    ]);
  });

  it('keeps the site URL the flags give, in either spelling', () => {
    const spaced = ['--site-url', 'https://feeds.example.org', '--quiet'];
    const joined = ['--site-url=https://feeds.example.org'];
    expect(withSiteUrl(spaced, 'http://127.0.0.1:8811')).toEqual(spaced);
    expect(withSiteUrl(joined, 'http://127.0.0.1:8811')).toEqual(joined);
    expect(givesSiteUrl(spaced) && givesSiteUrl(joined)).toBe(true);
    expect(givesSiteUrl(['--site-urls', 'x'])).toBe(false);
  });
});

describe('servedSiteUrl', () => {
  it('is the site URL of the build the namespace serves', async () => {
    const target = standInTarget(standIn);
    expect(await servedSiteUrl(target)).toBeUndefined();
    const built = await buildSeeds(
      SITE_A,
      await tempDir('site-url-cache'),
      'http://127.0.0.1:8811',
    );
    await deployBuild(target, built.outDir);
    expect(await servedSiteUrl(target)).toBe('http://127.0.0.1:8811');
  });

  it('is undefined when the pointer does not read', async () => {
    standIn.namespace(NAMESPACE).values.set(POINTER_KEY, { value: Buffer.from('{not json') });
    expect(await servedSiteUrl(standInTarget(standIn))).toBeUndefined();
  });
});
