import autocannon from 'autocannon';
import { perThousand } from './control-run.ts';
import { type RawProbeResult, rawProbes, sendRawProbe } from './raw-probes.ts';
import { type RssSample, readRssKb, rssWindow, sampleRss } from './rss-sampler.ts';
import { type PlannedRequest, type PoolName, pickRequest, planTraffic } from './traffic-mix.ts';
import { type DevServer, findWorkerdPids } from './wrangler-dev.ts';

export type LoadOptions = { duration: number; connections: number; only: PoolName | undefined };

/** Seconds of warm-up: every feed once (as far as it gets), so the run meets a warm cache. */
export const WARM_UP_SECONDS = 15;

export type LoadMeasurement = Awaited<ReturnType<typeof measureLoad>>;

/**
 * Against a running `wrangler dev`: raw probes, a warm-up over every feed, then the timed
 * mixed run with workerd's RSS sampled every second. Returns the figures; judging them is
 * the caller's.
 */
export async function measureLoad(
  server: DevServer,
  options: LoadOptions,
  log: (line: string) => void,
) {
  const workerdPids = await findWorkerdPids(server.process.pid ?? 0);
  if (workerdPids.length === 0) throw new Error('no workerd process under wrangler dev');
  const port = Number(new URL(server.origin).port);
  const probes: RawProbeResult[] = [];
  for (const probe of rawProbes(`127.0.0.1:${port}`)) probes.push(await sendRawProbe(port, probe));
  log(`raw probes: ${probes.map((p) => `${p.name} ${p.status ?? 'no answer'}`).join(', ')}`);

  const mix = await planTraffic(server.origin);
  log(
    `traffic: ${mix.feeds.length} feeds, ${mix.conditional.length} with ETags, ${mix.missing.length} missing`,
  );

  const rssBeforeWarmUp = await totalRssMb(workerdPids);
  let cursor = 0;
  const warmUp = await autocannon({
    url: server.origin,
    connections: 16,
    duration: WARM_UP_SECONDS,
    requests: [
      {
        setupRequest(request) {
          const planned = mix.feeds[cursor++ % mix.feeds.length] as PlannedRequest;
          return { ...request, method: 'GET', path: planned.path };
        },
      },
    ],
  });
  const rssAfterWarmUp = await totalRssMb(workerdPids);
  log(
    `warm-up: ${warmUp.requests.total} requests over ${mix.feeds.length} feeds (${warmUp.non2xx} not 200, ${warmUp.errors} errors), workerd RSS ${rssBeforeWarmUp} → ${rssAfterWarmUp} MB`,
  );

  const unexpected = new Map<string, number>();
  const perPid = workerdPids.map((pid) => ({ pid, sampler: sampleRss([pid]) }));
  const total = sampleRss(workerdPids);
  const run = await autocannon({
    url: server.origin,
    connections: options.connections,
    duration: options.duration,
    requests: [
      {
        setupRequest(request, context) {
          const planned = pickRequest(mix, options.only);
          (context as { planned?: PlannedRequest }).planned = planned;
          return { ...request, method: 'GET', path: planned.path, headers: planned.headers };
        },
        onResponse(status, _body, context) {
          const planned = (context as { planned?: PlannedRequest }).planned;
          if (planned === undefined || planned.expect === status) return;
          const key = `${planned.expect}→${status}`;
          unexpected.set(key, (unexpected.get(key) ?? 0) + 1);
        },
      },
    ],
  });
  const samples = await total.stop();
  const processes = [];
  for (const { pid, sampler } of perPid) {
    processes.push({ pid, ...windows(await sampler.stop(), run.duration) });
  }
  const growthMb = ((samples.at(-1)?.kb ?? 0) - (samples[0]?.kb ?? 0)) / 1024;
  return {
    probes,
    warmUp: {
      seconds: WARM_UP_SECONDS,
      requests: warmUp.requests.total,
      non2xx: warmUp.non2xx,
      errors: warmUp.errors,
      fiveXx: warmUp['5xx'],
      rssBeforeMb: rssBeforeWarmUp,
      rssAfterMb: rssAfterWarmUp,
    },
    run,
    unexpected: Object.fromEntries(unexpected),
    rss: {
      ...windows(samples, run.duration),
      growthMbPer1000: perThousand(growthMb, run.requests.total),
      processes,
      series: samples.map((sample) => [Math.round(sample.t), Math.round(sample.kb / 1024)]),
    },
  };
}

function windows(samples: readonly RssSample[], duration: number) {
  const first10s = rssWindow(samples, 0, 10);
  const last10s = rssWindow(samples, duration - 10, duration + 1);
  const growth = first10s.meanMb === 0 ? 0 : (last10s.meanMb - first10s.meanMb) / first10s.meanMb;
  return { first10s, last10s, growthPercent: Math.round(growth * 1000) / 10 };
}

async function totalRssMb(pids: readonly number[]): Promise<number> {
  let kb = 0;
  for (const pid of pids) kb += (await readRssKb(pid)) ?? 0;
  return Math.round(kb / 1024);
}
