import type { BuildRecord } from '../../src/core/build-record.ts';
import type { BundleEntry } from '../../src/core/document-record.ts';

/** A build of the fixture site as the worker tests load it: its record and every value. */
export type FixtureBuild = { record: BuildRecord; values: [key: string, value: string][] };

// What the workers project's globalSetup (tests/support/provide-bundle.ts) hands to the
// tests inside workerd through vitest's provide/inject.
declare module 'vitest' {
  export interface ProvidedContext {
    bundleEntries: BundleEntry[];
    fixtureBuild: FixtureBuild;
    /** migrations/*.sql, split into statements (tests/support/provide-d1-migrations.ts). */
    d1Migrations: { name: string; queries: string[] }[];
  }
}
