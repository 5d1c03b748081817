import type { TestProject } from 'vitest/node';
import { handBuiltBundle } from './hand-built-bundle.ts';
import './provided-context.ts';

/**
 * globalSetup of the workers project, run once in Node: makes the bundle the worker
 * tests load into their (per-file, isolated) FEEDS namespace.
 */
export default async function provideBundle(project: TestProject): Promise<void> {
  project.provide('bundleEntries', await handBuiltBundle());
}
