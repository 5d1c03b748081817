import { escapeUTF8 } from 'entities/escape';
import { MEDIA_TYPES } from '../core/media-types.ts';
import type { Problem } from './problem.ts';
import { STATUS_TITLES } from './problem.ts';
import { HTML_SECURITY_HEADERS } from './security-headers.ts';

/**
 * Whether the client asks for a page: browsers list `text/html` in Accept. A media range
 * matches only as the whole type (not `text/html-ish`), and `q=0` means "not acceptable"
 * (RFC 9110 §12.5.1, §12.4.2); anything else gets the JSON problem.
 */
export function wantsHtml(accept: string | null | undefined): boolean {
  if (accept === null || accept === undefined) return false;
  for (const range of accept.split(',')) {
    const [type = '', ...parameters] = range.split(';');
    if (type.trim().toLowerCase() !== 'text/html') continue;
    const q = parameters.find((parameter) => /^\s*q\s*=/i.test(parameter));
    if (q === undefined || !/^\s*q\s*=\s*0(\.0{0,3})?\s*$/i.test(q)) return true;
  }
  return false;
}

/**
 * An error answer in the representation asked for (RFC 9110 §12.5.1): HTML for browsers,
 * JSON otherwise. Both say what went wrong and link back to the index; neither ever
 * carries a stack trace. Varies on Accept because it was negotiated (RFC 9110 §12.5.5).
 */
export function problemResponse(
  problem: Problem,
  accept: string | null | undefined,
  extraHeaders: Record<string, string> = {},
): Response {
  const headers: Record<string, string> = {
    Vary: 'Accept',
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': problem.status === 404 ? 'public, max-age=60' : 'no-store',
    ...extraHeaders,
  };
  if (wantsHtml(accept)) {
    return new Response(renderProblemPage(problem), {
      status: problem.status,
      headers: { ...headers, ...HTML_SECURITY_HEADERS, 'Content-Type': MEDIA_TYPES.html },
    });
  }
  const body = {
    status: problem.status,
    error: problem.code,
    message: problem.message,
    index: '/',
  };
  return new Response(`${escapeJsonMarkup(JSON.stringify(body))}\n`, {
    status: problem.status,
    headers: { ...headers, 'Content-Type': MEDIA_TYPES.json },
  });
}

/**
 * Writes <, > and & in JSON text as \u escapes (RFC 8259 §7 allows any character so), so a
 * message that quotes the request never carries markup, even to a client that sniffs.
 */
function escapeJsonMarkup(json: string): string {
  return json.replace(/[<>&]/g, (char) => `\\u00${char.charCodeAt(0).toString(16)}`);
}

function renderProblemPage(problem: Problem): string {
  const title = `${problem.status} ${STATUS_TITLES[problem.status]}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · edgefeed</title>
<style>
:root { color-scheme: light dark; }
body { font: 1.1rem/1.5 system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem; }
</style>
</head>
<body>
<main>
<h1>${title}</h1>
<p>${escapeUTF8(problem.message)}</p>
<p><a href="/">See every feed on the index</a></p>
</main>
</body>
</html>
`;
}
