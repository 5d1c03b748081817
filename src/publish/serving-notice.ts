/** What `npm start` prints once its server answers: where it serves and what to open. */
export function formatServingNotice(options: {
  origin: string;
  buildId: string;
  statsToken: string;
  /** Whether the token came from the environment (else it was made for this run). */
  statsTokenGiven: boolean;
}): string {
  const { origin, buildId, statsToken } = options;
  const whose = options.statsTokenGiven
    ? 'STATS_TOKEN from your environment'
    : 'STATS_TOKEN made for this run; set STATS_TOKEN to choose your own';
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
