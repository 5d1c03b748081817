import type { RequestStats } from './kv-target.ts';
import type { PublishSummary } from './publish-build.ts';

/** The one line a deploy ends with: values, bytes, requests, retries, the switch, GC, time. */
export function formatPublishSummary(
  summary: PublishSummary,
  where: string,
  stats: RequestStats,
  milliseconds: number,
): string {
  const switched = summary.switched
    ? `switched ${summary.previous ?? '(nothing)'} → ${summary.buildId}, ${summary.kept.length} builds kept`
    : `no switch (${summary.buildId} served)`;
  const gc =
    summary.garbage === undefined
      ? 'gc: skipped'
      : `gc: ${summary.garbage.deleted} deleted${summary.garbage.failed > 0 ? `, ${summary.garbage.failed} left for next time` : ''}`;
  return `deploy ${where}: ${summary.uploaded.values} values uploaded (${summary.uploaded.bytes} bytes), ${summary.alreadyThere} already there; ${switched}; ${gc}; ${stats.requests} requests (${stats.retries} retries); ${(milliseconds / 1000).toFixed(1)} s`;
}
