import { readFile } from 'node:fs/promises';

export type RssSample = { t: number; kb: number };

/** VmRSS of a process in KiB, from /proc/PID/status; undefined once it has ended. */
export async function readRssKb(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
    return match?.[1] === undefined ? undefined : Number(match[1]);
  } catch {
    return undefined;
  }
}

/** Samples the summed RSS of `pids` every `intervalMs` until stopped; t is seconds from start. */
export function sampleRss(pids: readonly number[], intervalMs = 1000) {
  const samples: RssSample[] = [];
  const started = performance.now();
  const take = async () => {
    let kb = 0;
    for (const pid of pids) kb += (await readRssKb(pid)) ?? 0;
    samples.push({ t: (performance.now() - started) / 1000, kb });
  };
  void take();
  const timer = setInterval(() => void take(), intervalMs);
  return {
    samples,
    stop: async () => {
      clearInterval(timer);
      await take();
      return samples;
    },
  };
}

export type RssWindow = { samples: number; meanMb: number; maxMb: number };

/** Mean and max RSS (MB) of the samples taken between `from` and `to` seconds. */
export function rssWindow(samples: readonly RssSample[], from: number, to: number): RssWindow {
  const inside = samples.filter((sample) => sample.t >= from && sample.t <= to);
  const mb = inside.map((sample) => sample.kb / 1024);
  const mean = mb.length === 0 ? 0 : mb.reduce((sum, value) => sum + value, 0) / mb.length;
  return { samples: mb.length, meanMb: round(mean), maxMb: round(Math.max(0, ...mb)) };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
