import { fileURLToPath } from 'node:url';
import { readD1Migrations } from '@cloudflare/vitest-plugin';
import type { TestProject } from 'vitest/node';
import './provided-context.ts';

const MIGRATIONS = fileURLToPath(new URL('../../migrations', import.meta.url));

/**
 * globalSetup of the workers project, run once in Node: reads migrations/*.sql (the D1
 * schema `wrangler d1 migrations apply` would apply) and hands them to the tests inside
 * workerd, which apply them to their (per-file, isolated) DB with applyD1Migrations.
 */
export default async function provideD1Migrations(project: TestProject): Promise<void> {
  project.provide('d1Migrations', await readD1Migrations(MIGRATIONS));
}
