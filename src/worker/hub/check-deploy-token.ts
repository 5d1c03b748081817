/** Shorter tokens are treated as no token at all: a guessable trigger is a misconfiguration. */
export const MIN_DEPLOY_TOKEN_LENGTH = 16;

export type TokenCheck = 'accepted' | 'refused' | 'unconfigured';

/**
 * Whether `Authorization: Bearer <token>` (RFC 6750 §2.1) carries DEPLOY_TOKEN. Both are
 * hashed first and the digests compared with timingSafeEqual, so the time taken tells
 * nothing about the token, its length included.
 */
export async function checkDeployToken(
  configured: string | undefined,
  authorization: string | undefined,
): Promise<TokenCheck> {
  if (configured === undefined || configured.length < MIN_DEPLOY_TOKEN_LENGTH) {
    return 'unconfigured';
  }
  const match = /^Bearer +([^ ]+) *$/i.exec(authorization ?? '');
  const offered = match?.[1] ?? '';
  const [expected, given] = await Promise.all([digest(configured), digest(offered)]);
  return crypto.subtle.timingSafeEqual(expected, given) && offered !== '' ? 'accepted' : 'refused';
}

async function digest(text: string): Promise<ArrayBuffer> {
  return crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
}
