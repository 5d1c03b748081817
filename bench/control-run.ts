import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { type RawProbeResult, rawProbes, sendRawProbe } from './raw-probes.ts';
import { rssWindow, sampleRss } from './rss-sampler.ts';
import {
  findWorkerdPids,
  startWranglerDev,
  stopWranglerDev,
  waitForHealthy,
} from './wrangler-dev.ts';

export type ControlResult = {
  requests: number;
  requestsPerSecond: number;
  rssFirst10sMb: number;
  rssLastMb: number;
  /** RSS growth of all workerd processes per 1,000 requests, in MB. */
  growthMbPer1000: number;
  probes: RawProbeResult[];
};

/**
 * The same raw probes and the same load shape against a no-op worker under `wrangler dev`:
 * whatever the control shows (the proxy's 501 for unknown methods, memory that grows with
 * every request) is the dev runtime's, not the feed worker's.
 */
export async function runControl(
  repoRoot: string,
  workDir: string,
  connections: number,
  seconds: number,
): Promise<ControlResult> {
  const configPath = join(workDir, 'control-wrangler.toml');
  await writeFile(
    configPath,
    `name = "edgefeed-loadtest-control"\nmain = "${join(repoRoot, 'bench/control-worker.js')}"\ncompatibility_date = "2026-11-09"\n`,
  );
  const server = await startWranglerDev(repoRoot, join(workDir, 'control-state'), configPath);
  try {
    await waitForHealthy(server, 60_000, '/');
    const pids = await findWorkerdPids(server.process.pid ?? 0);
    const port = Number(new URL(server.origin).port);
    const probes: RawProbeResult[] = [];
    for (const probe of rawProbes(`127.0.0.1:${port}`))
      probes.push(await sendRawProbe(port, probe));
    const rss = sampleRss(pids);
    const result = await autocannon({ url: `${server.origin}/`, connections, duration: seconds });
    const samples = await rss.stop();
    const first = rssWindow(samples, 0, Math.min(10, seconds / 2));
    const lastMb = (samples.at(-1)?.kb ?? 0) / 1024;
    const firstMb = (samples[0]?.kb ?? 0) / 1024;
    return {
      requests: result.requests.total,
      requestsPerSecond: Math.round(result.requests.average),
      rssFirst10sMb: first.meanMb,
      rssLastMb: Math.round(lastMb),
      growthMbPer1000: perThousand(lastMb - firstMb, result.requests.total),
      probes,
    };
  } finally {
    await stopWranglerDev(server);
  }
}

export function perThousand(mb: number, requests: number): number {
  return requests === 0 ? 0 : Math.round((mb / requests) * 1000 * 100) / 100;
}
