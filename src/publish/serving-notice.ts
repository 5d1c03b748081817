import type { StatsTokenSource } from './local-stats-token.ts';

/** What `npm start` prints once its server answers: where it serves and what to open. */
export function formatServingNotice(options: {
  origin: string;
  buildId: string;
  statsToken: string;
  statsTokenSource: StatsTokenSource;
}): string {
  const { origin, buildId, statsToken } = options;
  const whose =
    options.statsTokenSource === 'made for this run'
      ? 'STATS_TOKEN made for this run; set STATS_TOKEN to choose your own'
      : `STATS_TOKEN from ${options.statsTokenSource === 'environment' ? 'your environment' : '.dev.vars'}`;
  return [
    '',
    `edgefeed serves build ${buildId} on ${origin}`,
    `  open the site      ${origin}/`,
    `  the site's feed    ${origin}/feed.json  (also /rss.xml, /atom.xml)`,
    `  every feed         ${origin}/feeds.json  ·  ${origin}/opml.xml`,
    `  reader statistics  curl -H 'Authorization: Bearer ${statsToken}' ${origin}/stats`,
    `                     (${whose})`,
    '  publish a change   npm run deploy -- --local  ·  Ctrl-C stops the server',
    '',
  ].join('\n');
}
