import { describe, expect, it } from 'vitest';
import { leakedPieces } from './leaked-pieces.ts';

const SECRET = 'SJq3ZYz/woJzJRjaIIZ6gsIrsebtEbkfqY9m08Ta8DdfbOkfGjDd=;G1TXaeovcnIBTM4KWSDf2Q==';
const OTHER = 'yvZVC1zSwQlbBbk6/1RC0TlS4W4g6vNlyrIEKoQ70pIiZX/HAaPPsooBRgTuXdQr';

describe('leakedPieces', () => {
  it('finds a secret whole, and by any 24-character run of it, wherever it sits', () => {
    expect(leakedPieces(`<p>${SECRET}</p>`, [SECRET, OTHER])).toEqual([SECRET]);
    for (const at of [0, 17, SECRET.length - 24]) {
      const piece = SECRET.slice(at, at + 24);
      expect(leakedPieces(`"body":"x${piece}y"`, [OTHER, SECRET]), piece).toEqual([SECRET]);
      expect(leakedPieces(`a ${piece.slice(1)} b`, [SECRET]), piece).toEqual([]);
    }
    // Across the `;` between a value's parts, inside a longer stretch of base64.
    expect(leakedPieces(`AAAA${SECRET.slice(40, 64)}BBBB`, [SECRET])).toEqual([SECRET]);
  });

  it('finds nothing in text that holds no run of a secret', () => {
    expect(leakedPieces('', [SECRET])).toEqual([]);
    expect(leakedPieces(`${SECRET.slice(0, 23)} ${SECRET.slice(23, 46)}`, [SECRET])).toEqual([]);
  });

  it('looks for a short secret, or one of other characters, whole', () => {
    expect(leakedPieces('a token: hunter2!', ['hunter2'])).toEqual(['hunter2']);
    expect(
      leakedPieces('key = "bad key with spaces, long enough"', [
        'bad key with spaces, long enough',
      ]),
    ).toEqual(['bad key with spaces, long enough']);
    expect(leakedPieces('nothing here', ['hunter2'])).toEqual([]);
  });
});
