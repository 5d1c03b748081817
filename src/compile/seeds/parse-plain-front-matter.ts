import { CORE_SCHEMA, load } from 'js-yaml';
import { parseSeedYaml } from './parse-seed-yaml.ts';

/**
 * The fast path for the front matter nearly every real seed has: plain block YAML, no
 * anchors, aliases or tags, topics as a block list. `parseSeedYaml` reads the common subset
 * of that several times faster still and gives up on anything it is not sure of; js-yaml
 * reads the rest about five times faster than `yaml`, and with the same YAML 1.2 core
 * schema it gives the same data (tests/compile/front-matter-paths.test.ts checks that on
 * every fixture and corpus seed). Anything else — and any error — returns undefined and
 * goes to `parseFrontMatter`, which enforces the limits and says exactly what and where
 * the problem is.
 */
export function parsePlainFrontMatter(
  text: string,
): { data: Record<string, unknown>; topicLines: number[] } | undefined {
  const strict = parseSeedYaml(text);
  if (strict) return strict;
  if (!text.startsWith('---\n')) return undefined;
  const end = text.indexOf('\n---', 3);
  if (end < 0) return undefined;
  const after = text.charCodeAt(end + 4);
  if (!(Number.isNaN(after) || after === 10)) return undefined; // closing line is not exactly ---
  const block = text.slice(4, end);
  // Anchors, aliases, tags and merge keys are legal YAML we leave to the careful path.
  if (hasNodeProperties(block)) return undefined;
  let data: unknown;
  try {
    // The same block gray-matter hands the careful path (from the opening `---` line's
    // newline to the closing line), read straight away: gray-matter's own work is done.
    data = load(text.slice(3, end + 1), { schema: CORE_SCHEMA });
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  const topicLines = blockListLines(block, 'topics');
  if (topicLines === undefined) return undefined;
  return { data: data as Record<string, unknown>, topicLines };
}

/** File line of each item of a top-level block list (`key:` then `  - item` lines). */
export function blockListLines(block: string, key: string): number[] | undefined {
  const lines = block.split('\n');
  const start = lines.findIndex(
    (l) => l === `${key}:` || l.startsWith(`${key}: `) || l.startsWith(`${key}:\t`),
  );
  if (start < 0) return [];
  if (lines[start]?.slice(key.length + 1).trim() !== '') return undefined; // flow list or scalar
  const out: number[] = [];
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (/^\s*-(\s|$)/.test(line))
      out.push(i + 2); // +1 for 1-based, +1 for the opening ---
    else if (line.trim() === '' || /^\s+\S/.test(line)) {
      if (/^\s*#/.test(line) || line.trim() === '') continue;
      return undefined; // a continuation line: leave it to the careful path
    } else break;
  }
  return out;
}

// A double-quoted scalar (skipped), or an anchor, alias or tag where a node starts, or `<<`.
const NODE_PROPERTY = /"(?:[^"\\]|\\[\s\S])*"|(?:^|[\s[{,])[&*!][^\s]|<</g;

/**
 * True when the YAML may use an anchor (`&a`), alias (`*a`), tag (`!x`) or merge key
 * (`<<`) outside a double-quoted scalar, so an excerpt full of `&amp;` stays on the fast
 * path. A miss (say, inside a single-quoted scalar) is harmless: js-yaml resolves such
 * YAML exactly as `yaml` does; the careful path is for its limits and line numbers.
 */
export function hasNodeProperties(block: string): boolean {
  for (const match of block.matchAll(NODE_PROPERTY)) {
    if (!match[0].startsWith('"')) return true;
  }
  return false;
}
