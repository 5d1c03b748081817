const DAY_MS = 86_400_000;

/** The UTC calendar day of an instant, `YYYY-MM-DD`: the unit stats are kept in. */
export function utcDay(epochMs: number): string {
  return new Date(Math.floor(epochMs / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
}

/** The day `offset` days after `day` (negative: before), `YYYY-MM-DD`. */
export function addDays(day: string, offset: number): string {
  return utcDay(Date.parse(`${day}T00:00:00Z`) + offset * DAY_MS);
}

/** The `count` UTC days ending with the day of `epochMs`, oldest first. */
export function lastDays(epochMs: number, count: number): string[] {
  const today = utcDay(epochMs);
  return Array.from({ length: count }, (_, index) => addDays(today, index - count + 1));
}

export const HOUR_MS = 3_600_000;
export { DAY_MS };
