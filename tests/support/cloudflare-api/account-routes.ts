import type { AccountRequest } from './account-request.ts';
import { handleD1Request } from './d1-routes.ts';
import type { Settled } from './envelope.ts';
import { handleKvNamespacesRequest } from './kv-namespaces-routes.ts';
import { handleQueuesRequest } from './queues-routes.ts';
import { handleWorkerRequest } from './worker-routes.ts';

const HANDLERS = [
  handleKvNamespacesRequest,
  handleD1Request,
  handleQueuesRequest,
  handleWorkerRequest,
];

/** The account-level endpoints a first deploy and `wrangler deploy` call; undefined for others. */
export async function handleAccountRequest(r: AccountRequest): Promise<Settled | undefined> {
  for (const handle of HANDLERS) {
    const settled = await handle(r);
    if (settled !== undefined) return settled;
  }
  return undefined;
}
