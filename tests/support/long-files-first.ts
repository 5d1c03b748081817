import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The files that take longest, longest first (seconds in one slot of `npm test` on this
 * 2-core machine; docs/performance.md "Test suite"). vitest's own order runs the projects one
 * after another and, without a results cache (every CI run: a fresh clone), the larger files
 * first; that started the end-to-end files of the node project late, two minutes into the
 * run, and left one slot idle at the end while they finished. Started first, they overlap the
 * many short files instead. local-start comes early because it starts the run's shared
 * `npm start`, which npm-start-seeds then finds ready.
 */
export const LONG_FILES = [
  'tests/browser/site-in-chromium.test.ts',
  'tests/publish/publish-end-to-end.test.ts',
  'tests/publish/first-deploy.test.ts',
  'tests/publish/archive-walk-corpus.test.ts',
  'tests/compile/new-process-rebuild.test.ts',
  'tests/publish/cloudflare-api-stand-in.test.ts',
  'tests/publish/local-start.test.ts',
  'tests/publish/deploy-kill-crawl.test.ts',
  'tests/compile/output-safety.test.ts',
  'tests/compile/hostile-seeds.test.ts',
  'tests/compile/build-cache.test.ts',
];

/**
 * vitest's order (projects together, cached durations when a previous run left them), with
 * LONG_FILES moved to the front in their order, and the worker project last: its files share
 * one workerd per slot (isolate: false), which another project's file in between would stop.
 */
export class LongFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const root = this.ctx.config.root;
    const rank = (spec: TestSpecification): number => {
      const index = LONG_FILES.indexOf(spec.moduleId.slice(root.length + 1));
      if (index >= 0) return index;
      return spec.project.name === 'worker' ? LONG_FILES.length + 1 : LONG_FILES.length;
    };
    // Array.prototype.sort is stable: equal ranks keep vitest's order.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}
