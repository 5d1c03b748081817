/**
 * Seed dates are ISO 8601 / RFC 3339 strings (`2021-10-26T10:29:00Z`,
 * `2021-06-02T09:12:27-07:00`, `2021-06-02`). The offset is applied, so the instant is
 * exact; a date without an offset is taken as UTC, the way the source sites publish.
 * Impossible calendar values are an error, never rolled over (`2021-02-30` is not March).
 */

const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|z|[+-]\d{2}:?\d{2})?)?$/;

/** Years outside this range are typos or placeholders (`0000-01-01`, `9999-12-31`). */
export const EARLIEST_YEAR = 1900;
export const LATEST_YEAR = 2100;

/** Parses a seed date; returns the problem as a message when it is not a usable date. */
export function parseSeedDate(value: string | Date): Date | string {
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? 'not a date' : checkRange(value, value.toISOString());
  }
  const raw = value.trim();
  const m = ISO_DATE.exec(raw);
  if (!m)
    return `not a date (${JSON.stringify(raw.slice(0, 40))}); expected e.g. 2021-10-26T10:29:00Z`;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone = 'Z'] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12) return `not a date (${JSON.stringify(raw)}): month ${mo}`;
  if (day < 1 || day > daysInMonth) return `not a date (${JSON.stringify(raw)}): day ${d}`;
  if (hour > 23 || minute > 59 || second > 60) {
    return `not a date (${JSON.stringify(raw)}): time ${h}:${mi}:${s}`;
  }
  // Checked before Date.UTC, which reads years 0–99 as 1900–1999.
  if (year < EARLIEST_YEAR || year > LATEST_YEAR) {
    return `out of range (${JSON.stringify(raw)}): expected a year from ${EARLIEST_YEAR} to ${LATEST_YEAR}`;
  }
  let offsetMinutes = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2));
    if (oh > 23 || om > 59) return `not a date (${JSON.stringify(raw)}): offset ${zone}`;
    offsetMinutes = sign * (oh * 60 + om);
  }
  const ms = Number(`0.${frac || '0'}`) * 1000;
  const utc = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59), ms);
  return checkRange(new Date(utc - offsetMinutes * 60_000), raw);
}

function checkRange(date: Date, raw: string): Date | string {
  const year = date.getUTCFullYear();
  if (year < EARLIEST_YEAR || year > LATEST_YEAR) {
    return `out of range (${JSON.stringify(raw)}): expected a year from ${EARLIEST_YEAR} to ${LATEST_YEAR}`;
  }
  return date;
}
