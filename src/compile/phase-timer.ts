/**
 * Wall time and memory per build phase, printed to stderr when EDGEFEED_TIMING=1 (used by
 * `npm run bench` and when chasing a slow build); silent otherwise.
 */
export function phaseTimer(): (phase: string) => void {
  if (process.env.EDGEFEED_TIMING !== '1') return () => {};
  let last = performance.now();
  return (phase) => {
    const now = performance.now();
    const m = process.memoryUsage();
    const rss = `${Math.round(m.rss / 2 ** 20)} MiB (heap ${Math.round(m.heapUsed / 2 ** 20)}/${Math.round(m.heapTotal / 2 ** 20)}, array buffers ${Math.round(m.arrayBuffers / 2 ** 20)}, external ${Math.round(m.external / 2 ** 20)})`;
    process.stderr.write(`timing ${phase}: ${Math.round(now - last)} ms, rss ${rss}\n`);
    last = now;
  };
}
