import { join } from 'node:path';
import type { BuildOptions } from '../../src/compile/parse-build-args.ts';

/** Build options for a test: the defaults, a given seeds folder, no config file. */
export function buildOptions(
  seedsDir: string,
  overrides: Partial<BuildOptions> = {},
): BuildOptions {
  return {
    seedsDir,
    outDir: join(seedsDir, '.out'),
    siteUrl: 'https://feeds.example.org',
    taxonomyDir: undefined,
    pageSize: 50,
    skipInvalid: false,
    configPath: join(seedsDir, 'no-config.json'),
    quiet: true,
    ...overrides,
  };
}
