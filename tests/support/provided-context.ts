import type { BuildRecord } from '../../src/core/build-record.ts';

/** A build as the worker tests load it: its record and every value it names. */
export type FixtureBuild = { record: BuildRecord; values: [key: string, value: string][] };

/** The run's shared `npm start` (tests/support/shared-servers.ts). */
export type SharedNpmStart = {
  /** `http://127.0.0.1:PORT`, also the site URL it built for. */
  origin: string;
  port: number;
  /** Its local store (`--persist-to`): `deploy --local` and `rollback --local` find it here. */
  persistTo: string;
  /** Its build's out folder (`--out`). */
  outDir: string;
  /** The STATS_TOKEN it made and printed: the bearer token of /stats and /stats.json. */
  statsToken: string;
};

// What globalSetup files hand to the tests through vitest's provide/inject: the workers
// project's (tests/support/provide-bundle.ts) to the tests inside workerd, the root's
// (tests/support/serve-shared-servers.ts) to every project.
declare module 'vitest' {
  export interface ProvidedContext {
    /** tests/fixtures/site as the real build makes it (page size 50). */
    fixtureBuild: FixtureBuild;
    /** The same seeds with page size 1: other bodies on the same paths, and archive pages. */
    pagedBuild: FixtureBuild;
    /** Where tests/support/shared-servers.ts asks for the run's shared servers. */
    sharedServers: string;
  }
}
