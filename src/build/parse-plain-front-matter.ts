import matter from 'gray-matter';
import { CORE_SCHEMA, load } from 'js-yaml';

/**
 * The fast path for the front matter nearly every real seed has: plain block YAML, no
 * anchors, aliases or tags, topics as a block list. js-yaml reads that about five times
 * faster than `yaml`, and with the same YAML 1.2 core schema it gives the same data
 * (tests/build/front-matter-paths.test.ts checks that on every fixture and corpus seed).
 * Anything else — and any error — returns undefined and goes to `parseFrontMatter`,
 * which enforces the limits and says exactly what and where the problem is.
 */
export function parsePlainFrontMatter(
  text: string,
): { data: Record<string, unknown>; topicLines: number[] } | undefined {
  if (!text.startsWith('---\n')) return undefined;
  const end = text.indexOf('\n---', 3);
  if (end < 0) return undefined;
  const after = text.charCodeAt(end + 4);
  if (!(Number.isNaN(after) || after === 10)) return undefined; // closing line is not exactly ---
  const block = text.slice(4, end);
  // Anchors, aliases, tags and merge keys are legal YAML we leave to the careful path.
  if (/(?:^|[\s[{,])[&*!][^\s]|<</.test(block)) return undefined;
  let data: unknown;
  try {
    data = matter(text, {
      engines: { yaml: (source: string) => load(source, { schema: CORE_SCHEMA }) as object },
    }).data;
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  const topicLines = blockListLines(block, 'topics');
  if (topicLines === undefined) return undefined;
  return { data: data as Record<string, unknown>, topicLines };
}

/** File line of each item of a top-level block list (`key:` then `  - item` lines). */
function blockListLines(block: string, key: string): number[] | undefined {
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
