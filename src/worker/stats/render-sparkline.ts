import { escapeXml } from '../../core/xml-escape.ts';

const WIDTH = 120;
const HEIGHT = 28;

/**
 * A sparkline as inline SVG (no script, no request: it passes the pages' CSP): one line
 * through the values, oldest left, with a dot on the last one. `label` is its accessible
 * name (SVG `role="img"` with `aria-label`, WAI-ARIA 1.2).
 */
export function renderSparkline(values: readonly number[], label: string): string {
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? WIDTH / (values.length - 1) : 0;
  const points = values.map((value, index) => {
    const x = round(index * step);
    const y = round(HEIGHT - 2 - (value / max) * (HEIGHT - 4));
    return `${x},${y}`;
  });
  const last = points.at(-1)?.split(',') ?? ['0', String(HEIGHT - 2)];
  return `<svg class="spark" role="img" aria-label="${escapeXml(label)}" viewBox="-2 0 ${WIDTH + 4} ${HEIGHT}" width="${WIDTH + 4}" height="${HEIGHT}"><polyline points="${points.join(' ')}" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round"/><circle cx="${last[0]}" cy="${last[1]}" r="2" fill="currentColor"/></svg>`;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
