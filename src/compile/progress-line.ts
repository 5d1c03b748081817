/**
 * A progress line for long loads on a terminal (issue 6: local KV takes a few hundred keys
 * a second, so a cold load of a big site takes a while). Off a terminal it prints nothing:
 * CI logs get only the one-line summary the caller prints.
 */
export type ProgressStream = { isTTY?: boolean; write(text: string): unknown };

export type ProgressLine = {
  update(done: number, total: number): void;
  /** Clears the line so the summary starts at column 0. */
  finish(): void;
};

export function createProgressLine(
  stream: ProgressStream,
  label: string,
  unit = 'keys',
): ProgressLine {
  if (stream.isTTY !== true) return { update() {}, finish() {} };
  const started = performance.now();
  let lastDraw = 0;
  let drawn = false;
  return {
    update(done, total) {
      const now = performance.now();
      // Redraw at most ten times a second; the terminal is slower than the counter.
      if (done < total && now - lastDraw < 100) return;
      lastDraw = now;
      const seconds = (now - started) / 1000;
      const rate = seconds > 0 ? Math.round(done / seconds) : 0;
      const width = 24;
      const filled = total > 0 ? Math.round((done / total) * width) : width;
      const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`;
      stream.write(`\r\x1b[2K${label} [${bar}] ${done}/${total} ${unit}, ${rate}/s`);
      drawn = true;
    },
    finish() {
      if (drawn) stream.write('\r\x1b[2K');
    },
  };
}
