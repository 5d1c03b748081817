import type { BundleEntry } from '../../src/core/document-record.ts';

// What the workers project's globalSetup (tests/support/provide-bundle.ts) hands to the
// tests inside workerd through vitest's provide/inject.
declare module 'vitest' {
  export interface ProvidedContext {
    bundleEntries: BundleEntry[];
  }
}
