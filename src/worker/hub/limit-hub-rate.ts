/**
 * Whether this client has used up its POST /hub budget (HUB_RATE_LIMIT in wrangler.toml:
 * 30 a minute per address, counted per Cloudflare location). The client is the address
 * Cloudflare puts in CF-Connecting-IP, which a client cannot set; a request without it (a
 * local tool talking to `wrangler dev` directly) shares one budget.
 */
export async function isRateLimited(
  limiter: RateLimit | undefined,
  request: Request,
  prefix = 'hub',
): Promise<boolean> {
  if (limiter === undefined) return false;
  const client = request.headers.get('CF-Connecting-IP') ?? 'unknown';
  const { success } = await limiter.limit({ key: `${prefix}:${client}` });
  return !success;
}
