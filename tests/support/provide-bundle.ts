import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { compileBuild } from '../../src/compile/compile-build.ts';
import { legacyEntries } from './legacy-entries.ts';
import './provided-context.ts';

const FIXTURE_SEEDS = fileURLToPath(new URL('../fixtures/site', import.meta.url));
const SITE_CONFIG = fileURLToPath(new URL('../../edgefeed.config.json', import.meta.url));

/** The site URL the fixture bundle is built for; worker tests request this origin. */
export const FIXTURE_SITE_URL = 'https://feeds.test';

/**
 * globalSetup of the workers project, run once in Node: compiles tests/fixtures/site with
 * the real build and hands the entries to the tests inside workerd, which load them into
 * their (per-file, isolated) FEEDS namespace. A fixture the build rejects fails the run.
 */
export default async function provideBundle(project: TestProject): Promise<void> {
  const outDir = await mkdtemp(join(tmpdir(), 'edgefeed-worker-fixture-'));
  try {
    const { documents, build, report } = await compileBuild({
      seedsDir: FIXTURE_SEEDS,
      outDir,
      siteUrl: FIXTURE_SITE_URL,
      taxonomyDir: undefined,
      pageSize: 50,
      skipInvalid: false,
      configPath: SITE_CONFIG,
      quiet: true,
    });
    if (report.problems.length > 0) {
      throw new Error(`tests/fixtures/site does not build:\n${report.problems.join('\n')}`);
    }
    project.provide('bundleEntries', legacyEntries(documents));
    project.provide('fixtureBuild', { record: build.record, values: [...build.values] });
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}
