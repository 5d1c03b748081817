import {
  DEFAULT_LEASE_SECONDS,
  MAX_LEASE_SECONDS,
  MAX_SECRET_BYTES,
  MIN_LEASE_SECONDS,
} from './hub-limits.ts';
import { SIGNATURE_ALGORITHMS, type SignatureAlgorithm } from './sign-body.ts';

/** A subscription request as the hub acts on it; topic and callback are checked later. */
export type HubRequest =
  | {
      mode: 'subscribe';
      topic: string;
      callback: string;
      /** Already clamped to MIN_LEASE_SECONDS … MAX_LEASE_SECONDS. */
      leaseSeconds: number;
      secret: string | undefined;
      signature: SignatureAlgorithm;
    }
  | { mode: 'unsubscribe'; topic: string; callback: string };

export type HubRequestParse = { ok: true; request: HubRequest } | { ok: false; reason: string };

/**
 * The parameters of POST /hub (W3C WebSub §5.1), from its form-encoded body. Parameters the
 * hub does not know are ignored, as §5.1 requires; a repeated one counts once (the first).
 * Each refusal is one plain-text sentence naming the parameter (§5.1.2).
 *
 * `hub.signature` is edgefeed's own opt-in (§7.1.1 leaves the choice to hubs): sha256 unless
 * a subscriber that can only check SHA-1 asks for `sha1` (or for sha384/sha512).
 */
export function parseHubRequest(form: URLSearchParams): HubRequestParse {
  const mode = form.get('hub.mode');
  if (mode === null || mode === '') {
    return refuse('hub.mode is required: subscribe or unsubscribe');
  }
  if (mode === 'publish') {
    return refuse(
      'hub.mode=publish is not accepted: this hub publishes its own feeds when a new build is deployed',
    );
  }
  if (mode !== 'subscribe' && mode !== 'unsubscribe') {
    return refuse(`hub.mode must be subscribe or unsubscribe, not ${quote(mode)}`);
  }
  const topic = form.get('hub.topic');
  if (topic === null || topic === '') return refuse('hub.topic is required');
  const callback = form.get('hub.callback');
  if (callback === null || callback === '') return refuse('hub.callback is required');
  // §5.1: lease_seconds "MAY be present for unsubscription requests and MUST be ignored".
  if (mode === 'unsubscribe') return { ok: true, request: { mode, topic, callback } };

  const lease = form.get('hub.lease_seconds');
  if (lease !== null && lease !== '' && !/^[0-9]{1,12}$/.test(lease)) {
    return refuse(
      `hub.lease_seconds must be a positive whole number of seconds, not ${quote(lease)}`,
    );
  }
  const secret = form.get('hub.secret') ?? '';
  const secretBytes = new TextEncoder().encode(secret).byteLength;
  if (secretBytes > MAX_SECRET_BYTES) {
    return refuse(`hub.secret must be less than 200 bytes; this one has ${secretBytes}`);
  }
  const signature = form.get('hub.signature') ?? 'sha256';
  if (!isSignatureAlgorithm(signature)) {
    return refuse(
      `hub.signature must be one of ${SIGNATURE_ALGORITHMS.join(', ')}, not ${quote(signature)}`,
    );
  }
  return {
    ok: true,
    request: {
      mode,
      topic,
      callback,
      leaseSeconds: clampLease(lease === null || lease === '' ? undefined : Number(lease)),
      secret: secret === '' ? undefined : secret,
      signature,
    },
  };
}

/** §5.3.1: the hub decides the lease; a missing one gets the default (§8.2: 10 days). */
export function clampLease(requested: number | undefined): number {
  if (requested === undefined) return DEFAULT_LEASE_SECONDS;
  return Math.min(MAX_LEASE_SECONDS, Math.max(MIN_LEASE_SECONDS, requested));
}

function isSignatureAlgorithm(value: string): value is SignatureAlgorithm {
  return (SIGNATURE_ALGORITHMS as readonly string[]).includes(value);
}

function refuse(reason: string): HubRequestParse {
  return { ok: false, reason };
}

/** A value quoted for a message, cut short: it is the client's own input. */
function quote(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
}
