import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ControlResult } from './control-run.ts';
import type { LoadMeasurement } from './measure-load.ts';

/**
 * A feed worker whose memory per request is more than this many times the no-op control's
 * (plus MB_PER_1000_SLACK) is leaking; the dev runtime's own growth is the control's.
 */
export const MAX_GROWTH_RATIO = 2;
export const MB_PER_1000_SLACK = 5;

/** Every reason the run failed, in words; empty when it passed. */
export function judge(measured: LoadMeasurement, control: ControlResult): string[] {
  const { run, warmUp } = measured;
  const controlStatus = new Map(control.probes.map((probe) => [probe.name, probe.status]));
  const badProbes = measured.probes.filter(
    (probe) =>
      probe.status === null ||
      probe.body.includes('internal-error') ||
      (probe.status >= 500 && controlStatus.get(probe.name) !== probe.status),
  );
  const allowed = MAX_GROWTH_RATIO * control.growthMbPer1000 + MB_PER_1000_SLACK;
  return [
    warmUp.errors + warmUp.fiveXx > 0
      ? `warm-up: ${warmUp.errors} errors, ${warmUp.fiveXx} 5xx`
      : '',
    run.errors > 0 ? `${run.errors} connection errors` : '',
    run.timeouts > 0 ? `${run.timeouts} timeouts` : '',
    run['5xx'] > 0 ? `${run['5xx']} 5xx answers` : '',
    Object.keys(measured.unexpected).length > 0
      ? `unexpected statuses ${JSON.stringify(measured.unexpected)}`
      : '',
    measured.rss.growthMbPer1000 > allowed
      ? `workerd RSS grew ${measured.rss.growthMbPer1000} MB per 1,000 requests, over ${allowed} (control ${control.growthMbPer1000})`
      : '',
    ...badProbes.map((probe) => `raw probe "${probe.name}": ${probe.statusLine || 'no answer'}`),
  ].filter((failure) => failure !== '');
}

export function formatReport(
  measured: LoadMeasurement,
  control: ControlResult,
  connections: number,
) {
  const { run, rss } = measured;
  const codes = Object.entries(run.statusCodeStats ?? {})
    .map(([code, stat]) => `${code} ${stat.count ?? 0}`)
    .join(', ');
  const perProcess = rss.processes
    .map((p) => `pid ${p.pid} ${p.first10s.meanMb} → ${p.last10s.meanMb} MB`)
    .join('; ');
  return [
    `requests:  ${run.requests.total} in ${run.duration} s at ${connections} connections = ${Math.round(run.requests.average)} req/s`,
    `latency:   p50 ${run.latency.p50} ms, p99 ${run.latency.p99} ms, max ${run.latency.max} ms`,
    `statuses:  2xx ${run['2xx']}, 3xx ${run['3xx']}, 4xx ${run['4xx']}, 5xx ${run['5xx']} (${codes})`,
    `errors:    ${run.errors} (timeouts ${run.timeouts}); unexpected statuses: ${JSON.stringify(measured.unexpected)}`,
    `workerd RSS: first 10 s mean ${rss.first10s.meanMb} MB (max ${rss.first10s.maxMb}), last 10 s mean ${rss.last10s.meanMb} MB (max ${rss.last10s.maxMb}), ${rss.growthPercent >= 0 ? '+' : ''}${rss.growthPercent}%, ${rss.growthMbPer1000} MB per 1,000 requests [${perProcess}]`,
    `control (no-op worker, same wrangler dev): ${control.requestsPerSecond} req/s, RSS ${control.rssFirst10sMb} → ${control.rssLastMb} MB, ${control.growthMbPer1000} MB per 1,000 requests`,
  ].join('\n');
}

/** Writes the results as bench/results/loadtest-<date>.json and returns the path. */
export async function writeResults(repoRoot: string, results: object): Promise<string> {
  const folder = join(repoRoot, 'bench', 'results');
  await mkdir(folder, { recursive: true });
  const stamp = new Date().toISOString().replace(/:/g, '-').replace(/\..*$/, '');
  const file = join(folder, `loadtest-${stamp}.json`);
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}
