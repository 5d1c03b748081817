// npm run stand-in -- --port N: a local, empty Cloudflare account for rehearsing a deploy
// (CLOUDFLARE_API_BASE_URL=http://127.0.0.1:N/client/v4, any account id, any token).
import { parseArgs } from 'node:util';
import { startStandIn } from '../tests/support/cloudflare-api/stand-in.ts';

const USAGE = `npm run stand-in -- --port N

Serves an empty Cloudflare account at http://127.0.0.1:N/client/v4 for any account id and any
bearer token: the endpoints \`npm run deploy\` and \`wrangler deploy\` call (KV namespaces, D1
databases with a real SQLite, queues, workers, their settings and secrets), and the GET list
endpoints of everything they create, to look at the result. Anything else answers 501 and is
logged. Everything is kept in memory until Ctrl-C.`;

const { values } = parseArgs({
  options: { port: { type: 'string' }, help: { type: 'boolean' } },
  strict: true,
});
if (values.help || values.port === undefined || !/^\d+$/.test(values.port)) {
  console.error(values.help ? USAGE : `stand-in: --port N is needed\n\n${USAGE}`);
  process.exit(values.help ? 0 : 2);
}
const standIn = await startStandIn({ port: Number(values.port) });
console.log(`stand-in: an empty Cloudflare account listening on ${standIn.baseUrl}`);
console.log(
  `  CLOUDFLARE_API_BASE_URL=${standIn.baseUrl} CLOUDFLARE_API_TOKEN=any CLOUDFLARE_ACCOUNT_ID=any`,
);
const stop = () => {
  void standIn.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
