import { randomBytes } from 'node:crypto';

export type StatsTokenSource = 'environment' | '.dev.vars' | 'made for this run';

/**
 * The STATS_TOKEN `npm start` serves with: the environment's, else the one `.dev.vars`
 * names (wrangler dev's own file for local secrets, dotenv syntax; `--var` would override
 * it, so it is read here and passed on), else a new random one, so that `/stats` can be
 * opened at all; the notice says which.
 */
export function localStatsToken(
  env: NodeJS.ProcessEnv,
  devVars: string | undefined,
): { token: string; source: StatsTokenSource } {
  if (env.STATS_TOKEN) return { token: env.STATS_TOKEN, source: 'environment' };
  const line = /^\s*(?:export\s+)?STATS_TOKEN\s*=\s*(.*?)\s*$/m.exec(devVars ?? '')?.[1];
  const token = line?.replace(/^(['"])(.*)\1$/, '$2');
  if (token) return { token, source: '.dev.vars' };
  return { token: randomBytes(24).toString('hex'), source: 'made for this run' };
}
