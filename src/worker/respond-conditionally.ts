import { isNotModified } from './conditional-request.ts';
import { notModifiedResponse } from './not-modified-response.ts';

/**
 * Answers a GET or HEAD from a full 200 response, whether it came from KV or the edge
 * cache: 304 when the request's preconditions say the client's copy is current (RFC 9110
 * §13.2.2), else the 200 itself, copied so its headers are mutable.
 */
export function respondConditionally(request: Request, full: Response): Response {
  const validators = {
    etag: full.headers.get('ETag'),
    lastModified: full.headers.get('Last-Modified'),
  };
  if (isNotModified(request.headers, validators)) {
    full.body?.cancel().catch(() => {});
    return notModifiedResponse(full.headers);
  }
  return new Response(full.body, full);
}
