/** What a request looks like to a fault's matcher: method, path below /client/v4, its number. */
export type SeenRequest = { method: string; path: string; index: number };

/**
 * A fault the stand-in injects into a matching request:
 * - `status`: answer 500/502/503 or 429 (with `Retry-After`) and change nothing;
 * - `drop`: close the connection without an answer, before (or, `applied`, after) applying it;
 * - `partial`: a bulk write stores only some pairs and lists the rest in `unsuccessful_keys`;
 * - `lose`: a bulk write says it stored these keys but does not (a lost write);
 * - `denied`: 403 "Authentication error" (code 10000), what Cloudflare answers a token that
 *   lacks the permission a request needs.
 */
export type Fault =
  | { kind: 'status'; status: number; retryAfter?: string }
  | { kind: 'drop'; applied?: boolean }
  | { kind: 'partial'; every?: number }
  | { kind: 'lose'; keys: readonly string[] }
  | { kind: 'denied' };

export type FaultRule = {
  when: (request: SeenRequest) => boolean;
  fault: Fault;
  /** How many matching requests it hits (default 1). */
  times: number;
};

/** The first rule matching `request` that has hits left, which it uses up. */
export function takeFault(rules: FaultRule[], request: SeenRequest): Fault | undefined {
  const rule = rules.find((candidate) => candidate.times > 0 && candidate.when(request));
  if (rule === undefined) return undefined;
  rule.times--;
  return rule.fault;
}
