/**
 * Miniflare's documented switch (`CLOUDFLARE_CF_FETCH_ENABLED`, miniflare's `cf` option):
 * at start it fetches a `Request.cf` sample from workers.cloudflare.com, and offline it
 * prints `[wrangler:warn] Unable to fetch the Request.cf object!` with a stack line. The
 * worker reads nothing from `request.cf`, so the local store and `wrangler dev` use
 * Miniflare's placeholder instead; a user who sets the variable keeps their choice.
 */
export const CF_FETCH_VARIABLE = 'CLOUDFLARE_CF_FETCH_ENABLED';

/** `env` with the `Request.cf` fetch off unless it says otherwise. */
export function localWranglerEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, [CF_FETCH_VARIABLE]: env[CF_FETCH_VARIABLE] ?? 'false' };
}
