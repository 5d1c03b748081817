import { describe, expect, it } from 'vitest';
import { parseSeedDate } from '../../src/core/parse-seed-date.ts';

const iso = (v: string) => {
  const d = parseSeedDate(v);
  return d instanceof Date ? d.toISOString() : d;
};

describe('parseSeedDate', () => {
  it('reads UTC timestamps', () => {
    expect(iso('2021-10-26T10:29:00Z')).toBe('2021-10-26T10:29:00.000Z');
  });

  it('honours a timezone offset instead of dropping it', () => {
    expect(iso('2021-06-02T09:12:27-07:00')).toBe('2021-06-02T16:12:27.000Z');
    expect(iso('2021-06-02T09:12:27+0530')).toBe('2021-06-02T03:42:27.000Z');
  });

  it('takes a date without time or offset as midnight UTC', () => {
    expect(iso('2021-06-02')).toBe('2021-06-02T00:00:00.000Z');
  });

  it.each([
    ['2021-13-01', /month 13/],
    ['2021-02-30', /day 30/],
    ['9999-12-31T99:00', /time 99:00/],
    ['0000-01-01', /out of range/],
    ['9999-12-31', /out of range/],
    ['yesterday', /not a date/],
    ['26/10/2021', /not a date/],
  ])('rejects %j with a reason', (value, reason) => {
    expect(parseSeedDate(value)).toMatch(reason);
  });
});
