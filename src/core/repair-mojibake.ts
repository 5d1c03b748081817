/**
 * Mojibake repair: UTF-8 bytes that were decoded as Windows-1252 somewhere upstream
 * ("Giantâ€™s" for "Giant’s"). A run is repaired only when its characters map back to
 * bytes that form one complete, valid UTF-8 sequence of 2–4 bytes: a lead byte followed
 * by exactly the continuation bytes it announces. Legitimate Latin-1 text ("café",
 * "Zürich", "naïve", "Ærøskøbing") never has that shape, because a lone accented letter
 * is not followed by the continuation characters (€, ‚, ™, ¢, ©, …) it would need.
 */

// Windows-1252 bytes 0x80–0x9F; the five undefined ones pass through as C1 controls.
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

const BYTE_OF = new Map<string, number>();
for (let i = 0; i < 32; i++) BYTE_OF.set(CP1252_HIGH.charAt(i), 0x80 + i);
for (let b = 0xa0; b <= 0xff; b++) BYTE_OF.set(String.fromCharCode(b), b);

const CONTINUATION = `[${[...BYTE_OF]
  .filter(([, b]) => b >= 0x80 && b <= 0xbf)
  .map(([c]) => escapeForClass(c))
  .join('')}]`;
// Lead bytes: 0xC2–0xDF (2 bytes), 0xE0–0xEF (3), 0xF0–0xF4 (4), as Latin-1 characters.
const SUSPECT = new RegExp(
  `[\u00C2-\u00DF]${CONTINUATION}|[\u00E0-\u00EF]${CONTINUATION}{2}|[\u00F0-\u00F4]${CONTINUATION}{3}`,
  'g',
);

// A cheap first look: every suspect run starts with a lead character (U+00C2–U+00F4), and
// most text has none, so the alternation above is skipped for it.
const LEAD = /[\u00C2-\u00F4]/;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

function escapeForClass(c: string): string {
  return /[\]\\^-]/.test(c) ? `\\${c}` : c;
}

/** Returns the text with every mis-decoded UTF-8 sequence restored; counts repairs. */
export function repairMojibake(text: string): { text: string; repairs: number } {
  if (!LEAD.test(text)) return { text, repairs: 0 };
  let repairs = 0;
  const repaired = text.replace(SUSPECT, (run) => {
    const bytes = new Uint8Array(run.length);
    for (let i = 0; i < run.length; i++) bytes[i] = BYTE_OF.get(run.charAt(i)) ?? 0;
    try {
      const decoded = strictUtf8.decode(bytes);
      repairs++;
      return decoded;
    } catch {
      return run; // not a valid sequence (overlong, surrogate): leave it alone
    }
  });
  return { text: repaired, repairs };
}
