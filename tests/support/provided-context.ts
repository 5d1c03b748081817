import type { BuildRecord } from '../../src/core/build-record.ts';

/** A build as the worker tests load it: its record and every value it names. */
export type FixtureBuild = { record: BuildRecord; values: [key: string, value: string][] };

// What the workers project's globalSetup (tests/support/provide-bundle.ts) hands to the
// tests inside workerd through vitest's provide/inject.
declare module 'vitest' {
  export interface ProvidedContext {
    /** tests/fixtures/site as the real build makes it (page size 50). */
    fixtureBuild: FixtureBuild;
    /** The same seeds with page size 1: other bodies on the same paths, and archive pages. */
    pagedBuild: FixtureBuild;
  }
}
