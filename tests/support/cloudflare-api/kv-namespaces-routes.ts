import { type AccountRequest, failure, jsonBody, paged } from './account-request.ts';
import { envelope, type Settled } from './envelope.ts';

/**
 * The account's namespace list and creation (Workers KV API: "List Namespaces", GET
 * /storage/kv/namespaces, and "Create a Namespace", POST with `{ title }`); a title is
 * unique in an account.
 */
export function handleKvNamespacesRequest(r: AccountRequest): Settled | undefined {
  if (r.path !== '/storage/kv/namespaces') return undefined;
  if (r.method === 'GET') {
    const namespaces = [...r.account.namespaces.values()]
      .sort((a, b) => a.title.localeCompare(b.title))
      .map((ns) => ({ id: ns.id, title: ns.title, supports_url_encoding: true }));
    return paged(r, namespaces, 20);
  }
  if (r.method !== 'POST') return undefined;
  const title = jsonBody(r)?.title;
  if (typeof title !== 'string' || title === '') {
    return failure(400, 10019, 'create namespace: title is required');
  }
  if ([...r.account.namespaces.values()].some((ns) => ns.title === title)) {
    return failure(
      400,
      10014,
      'create namespace: a namespace with this account ID and title already exists',
    );
  }
  const ns = r.account.addNamespace(title);
  return envelope(200, { result: { id: ns.id, title: ns.title, supports_url_encoding: true } });
}
