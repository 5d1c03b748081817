/**
 * A subrequest to a subscriber's (or an external hub's) URL: never follows redirects (§7: a
 * subscriber "MUST NOT use HTTP redirects"; following one would also let a public callback
 * bounce the hub to a private address) and is aborted after `timeoutMs`, rejecting with a
 * TimeoutError. The timer is a plain setTimeout, so tests can drive it with fake timers.
 */
export async function fetchWithTimeout(
  url: string,
  init: RequestInit,
  timeoutMs: number,
): Promise<Response> {
  const controller = new AbortController();
  const timer = setTimeout(() => {
    controller.abort(new DOMException(`no answer within ${timeoutMs / 1000} s`, 'TimeoutError'));
  }, timeoutMs);
  try {
    return await fetch(url, { ...init, redirect: 'manual', signal: controller.signal });
  } finally {
    clearTimeout(timer);
  }
}

/** What went wrong with a subrequest, in a few words for logs and the dead-letter record. */
export function describeFailure(error: unknown): string {
  if (error instanceof Error) {
    return error.name === 'TimeoutError' ? `timeout: ${error.message}` : error.message;
  }
  return String(error);
}

/** The User-Agent of every request the hub makes, naming the site it works for. */
export function hubUserAgent(site: string): string {
  return `edgefeed-websub-hub (+${site})`;
}
