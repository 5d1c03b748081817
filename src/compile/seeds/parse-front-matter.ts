import matter from 'gray-matter';
import { type Document, LineCounter, parseDocument } from 'yaml';

/** Alias expansions allowed per document: enough for real use, far from a "billion laughs". */
export const MAX_ALIASES = 50;
/** Deeper nesting than this is not a seed (real ones nest 3 deep); it is an attack on the stack. */
export const MAX_DEPTH = 64;

export type FrontMatter =
  | { ok: true; data: Record<string, unknown>; lineOf: (path: readonly PropertyKey[]) => number }
  | { ok: false; line: number; message: string };

/**
 * The YAML front matter of a seed. gray-matter finds the block; the YAML itself is parsed
 * by `yaml` with the core schema (dates stay strings, so we parse offsets ourselves),
 * unique keys enforced, aliases capped and no custom tags: `!!js/function` and friends
 * are reported, never constructed, let alone run.
 */
export function parseFrontMatter(text: string): FrontMatter {
  if (!/^---[ \t]*\n/.test(text)) {
    return { ok: false, line: 1, message: 'no front matter: a seed starts with a line "---"' };
  }
  // gray-matter ends the block at the first line that starts with "---", so that line must
  // be exactly "---" or we would read a block that is not the one gray-matter hands over.
  const close = /\n---(.*)(?:\n|$)/.exec(text.slice(3));
  if (!close)
    return { ok: false, line: 1, message: 'unterminated front matter: no closing "---" line' };
  if (!/^[ \t]*$/.test(close[1] ?? '')) {
    const line = text.slice(0, 3 + close.index + 1).split('\n').length;
    return {
      ok: false,
      line,
      message: `a line starting with "---" ends the front matter and must be just "---" (${JSON.stringify(`---${close[1]}`.slice(0, 40))})`,
    };
  }
  if (/^[ \t]*\n?---/.test(text.slice(text.indexOf('\n') + 1))) {
    return { ok: false, line: 1, message: 'empty front matter' };
  }

  let doc: Document | undefined;
  const lineCounter = new LineCounter();
  try {
    matter(text, {
      engines: {
        yaml: (source: string) => {
          doc = parseDocument(source, {
            lineCounter,
            uniqueKeys: true,
            schema: 'core',
            prettyErrors: false,
          });
          return {};
        },
      },
    });
  } catch (error) {
    // `yaml` turns its own stack overflow into a document error; this is the backstop.
    const deep = error instanceof RangeError;
    const message = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      line: 1,
      message: deep
        ? `YAML nested too deeply (limit ${MAX_DEPTH} levels)`
        : `not valid YAML: ${message}`,
    };
  }
  if (!doc) return { ok: false, line: 1, message: 'no front matter' };
  // gray-matter hands over the block from the end of the opening `---`, its newline
  // included, so the block's line numbers are already the file's.
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;

  const problem = doc.errors[0] ?? doc.warnings.find((w) => w.code === 'TAG_RESOLVE_FAILED');
  if (problem) {
    // With prettyErrors off `linePos` is never set: the offset is what `yaml` gives.
    const line = lineAt(problem.pos[0]);
    const message =
      problem.code === 'DUPLICATE_KEY'
        ? 'duplicate key in YAML'
        : problem.code === 'TAG_RESOLVE_FAILED'
          ? `unsupported YAML tag (${problem.message.replace(/^.*?(!\S*).*$/s, '$1')}); only plain YAML is read`
          : /call stack/i.test(problem.message)
            ? `YAML nested too deeply (limit ${MAX_DEPTH} levels)`
            : `not valid YAML: ${problem.message.split('\n')[0]}`;
    return { ok: false, line, message };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      line: 1,
      message: /alias/i.test(message)
        ? `too many YAML alias expansions (limit ${MAX_ALIASES})`
        : `YAML could not be read: ${message}`,
    };
  }
  if (depthOf(data) > MAX_DEPTH) {
    return { ok: false, line: 1, message: `YAML nested deeper than ${MAX_DEPTH} levels` };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, line: 2, message: 'front matter is not a mapping of fields' };
  }
  const frozenDoc = doc;
  return {
    ok: true,
    data: data as Record<string, unknown>,
    lineOf: (path) => {
      for (let n = path.length; n > 0; n--) {
        const node = frozenDoc.getIn(path.slice(0, n) as unknown[], true) as
          | { range?: [number, number, number] }
          | undefined;
        if (node?.range) return lineAt(node.range[0]);
      }
      return 1;
    },
  };
}

function depthOf(value: unknown, depth = 0): number {
  if (depth > MAX_DEPTH || typeof value !== 'object' || value === null) return depth;
  let max = depth;
  for (const child of Object.values(value)) max = Math.max(max, depthOf(child, depth + 1));
  return max;
}
