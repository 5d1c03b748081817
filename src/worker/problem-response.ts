import { escapeUTF8 } from 'entities/escape';
import { MEDIA_TYPES } from '../core/media-types.ts';
import type { Problem } from './problem.ts';
import { STATUS_TITLES } from './problem.ts';
import { HTML_SECURITY_HEADERS } from './security-headers.ts';

/** Whether the client prefers a page over data: browsers list text/html in Accept. */
export function wantsHtml(accept: string | null | undefined): boolean {
  return accept !== null && accept !== undefined && /(^|[\s,])text\/html\b/i.test(accept);
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
  return new Response(`${JSON.stringify(body)}\n`, {
    status: problem.status,
    headers: { ...headers, 'Content-Type': MEDIA_TYPES.json },
  });
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
