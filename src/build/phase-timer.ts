/**
 * Wall time and memory per build phase, printed to stderr when EDGEFEED_TIMING=1 (used by
 * `npm run bench` and when chasing a slow build); silent otherwise.
 */
export function phaseTimer(): (phase: string) => void {
  if (process.env.EDGEFEED_TIMING !== '1') return () => {};
  let last = performance.now();
  return (phase) => {
    const now = performance.now();
    const rss = Math.round(process.memoryUsage().rss / 2 ** 20);
    process.stderr.write(`timing ${phase}: ${Math.round(now - last)} ms, rss ${rss} MiB\n`);
    last = now;
  };
}
