/** The characters secured values are made of: base64, and the `;` between their parts. */
const SECRET_TEXT = /^[A-Za-z0-9+/=;]+$/;

/**
 * The secrets of which some `length`-character run appears in `text`: a piece of a secret
 * leaks as much as the whole. Every run of every secret is looked for, in one pass over the
 * text rather than one search per run or per secret (a corpus's bundle is ~20 MB, and 400
 * `includes` over it took 3 s): a run made of SECRET_TEXT's characters can only appear
 * inside a stretch of the text made of them, so only those stretches are cut into runs and
 * looked up. A secret with other characters, or shorter than `length`, is searched for whole.
 */
export function leakedPieces(text: string, secrets: readonly string[], length = 24): string[] {
  const secretOf = new Map<string, string>();
  const leaked = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < length || !SECRET_TEXT.test(secret)) {
      if (text.includes(secret.slice(0, length))) leaked.add(secret);
      continue;
    }
    for (let i = 0; i + length <= secret.length; i++)
      secretOf.set(secret.slice(i, i + length), secret);
  }
  for (const [stretch] of text.matchAll(new RegExp(`[A-Za-z0-9+/=;]{${length},}`, 'g'))) {
    for (let i = 0; i + length <= stretch.length; i++) {
      const secret = secretOf.get(stretch.slice(i, i + length));
      if (secret !== undefined) leaked.add(secret);
    }
  }
  return [...leaked];
}
