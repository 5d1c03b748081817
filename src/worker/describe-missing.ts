import { FEED_FORMATS } from '../core/document-paths.ts';
import type { Problem } from './problem.ts';

const FORMAT_LIST = FEED_FORMATS.join(', ');

/**
 * Says what a 404 is about, from the path alone: a build holds every format and a page for
 * each topic and provider it knows, so a missing `/topics/x/rss.xml` means the topic is
 * unknown to the build served, while a missing `/topics/x/index.rdf` means the format is.
 * Paths are canonical (percent-encoded), so they are decoded for display only.
 */
export function describeMissing(path: string): Problem {
  const segments = path.split('/').slice(1);
  const [folder, key, document, ...rest] = segments;
  if ((folder === 'topics' || folder === 'providers') && key !== undefined && key !== '') {
    const kind = folder === 'topics' ? 'topic' : 'provider';
    const name = decodeForDisplay(key);
    if (rest.length === 0 && document !== undefined && isKnownDocument(document)) {
      return notFound(`unknown-${kind}`, `There is no ${kind} "${name}" in this build.`);
    }
    if (rest.length === 0 && document !== undefined) {
      return notFound(
        'unknown-format',
        `There is no format "${decodeForDisplay(document)}" for the ${kind} "${name}"; feeds are ${FORMAT_LIST}.`,
      );
    }
  }
  if (segments.length === 1 && folder !== undefined && /\.(xml|json|rss|atom|rdf)$/i.test(folder)) {
    return notFound(
      'unknown-format',
      `There is no site document "${decodeForDisplay(folder)}"; site feeds are /rss.xml, /atom.xml and /feed.json.`,
    );
  }
  return notFound('not-found', `Nothing is published at "${decodeForDisplay(path)}".`);
}

function isKnownDocument(name: string): boolean {
  return name === '' || (FEED_FORMATS as readonly string[]).includes(name);
}

function notFound(code: string, message: string): Problem {
  return { status: 404, code, message };
}

/** Decoded for a message, cut short so a 16 KB path does not make a 16 KB answer. */
function decodeForDisplay(text: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(text);
  } catch {
    decoded = text;
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it removes
  const printable = decoded.replace(/[\u0000-\u001f\u007f]/g, '\ufffd');
  return printable.length > 200 ? `${printable.slice(0, 200)}…` : printable;
}
