/**
 * A failure the user must act on (credentials, a missing namespace, a refused switch, an
 * API that kept failing): printed as one message, no stack, exit status 1. The message says
 * what failed, where, and what to do.
 */
export class PublishError extends Error {
  override name = 'PublishError';
}
