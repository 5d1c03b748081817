import type { IncomingMessage } from 'node:http';
import type { Account } from './account.ts';
import { type ApiError, envelope, type Settled } from './envelope.ts';

/** A request to one account's endpoints: `path` is what follows `/accounts/{id}`. */
export type AccountRequest = {
  account: Account;
  accountId: string;
  method: string;
  path: string;
  url: URL;
  body: Buffer;
  request: IncomingMessage;
};

/** A JSON body, or undefined when there is none or it does not parse. */
export function jsonBody(r: AccountRequest): Record<string, unknown> | undefined {
  try {
    const json: unknown = JSON.parse(r.body.toString('utf8'));
    return typeof json === 'object' && json !== null && !Array.isArray(json)
      ? (json as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** One page of `items` (`page` from 1, `per_page`) with the v4 API's `result_info`. */
export function paged<T>(r: AccountRequest, items: T[], defaultPerPage: number): Settled {
  const page = Math.max(1, Number(r.url.searchParams.get('page') ?? '1') || 1);
  const perPage = Math.max(1, Number(r.url.searchParams.get('per_page') ?? defaultPerPage) || 1);
  const slice = items.slice((page - 1) * perPage, page * perPage);
  return envelope(200, {
    result: slice,
    resultInfo: {
      page,
      per_page: perPage,
      count: slice.length,
      total_count: items.length,
      total_pages: Math.max(1, Math.ceil(items.length / perPage)),
    },
  });
}

export function failure(status: number, code: number, message: string): Settled {
  const error: ApiError = { code, message };
  return envelope(status, { errors: [error] });
}
