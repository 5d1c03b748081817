import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { compileBuild } from '../../src/compile/compile-build.ts';
import type { BuildOptions } from '../../src/compile/parse-build-args.ts';
import type { FixtureBuild } from './provided-context.ts';

const FIXTURE_SEEDS = fileURLToPath(new URL('../fixtures/site', import.meta.url));
const SITE_CONFIG = fileURLToPath(new URL('../../edgefeed.config.json', import.meta.url));

/** The site URL the fixture builds are made for; worker tests request this origin. */
export const FIXTURE_SITE_URL = 'https://feeds.test';

/**
 * globalSetup of the workers project, run once in Node: compiles tests/fixtures/site with
 * the real build, twice (page size 50, and 1 with archive pages), and hands both builds to
 * the tests inside workerd, which load them into their (per-file, isolated) FEEDS
 * namespace. A fixture the build rejects fails the run.
 */
export default async function provideBundle(project: TestProject): Promise<void> {
  const outDir = await mkdtemp(join(tmpdir(), 'edgefeed-worker-fixture-'));
  try {
    project.provide('fixtureBuild', await buildFixture({ outDir, pageSize: 50 }));
    project.provide('pagedBuild', await buildFixture({ outDir, pageSize: 1 }));
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

async function buildFixture(options: Pick<BuildOptions, 'outDir' | 'pageSize'>) {
  const { build, report } = await compileBuild({
    seedsDir: FIXTURE_SEEDS,
    siteUrl: FIXTURE_SITE_URL,
    taxonomyDir: undefined,
    skipInvalid: false,
    configPath: SITE_CONFIG,
    quiet: true,
    ...options,
  });
  if (report.problems.length > 0) {
    throw new Error(`tests/fixtures/site does not build:\n${report.problems.join('\n')}`);
  }
  const fixture: FixtureBuild = { record: build.record, values: [...build.values] };
  return fixture;
}
