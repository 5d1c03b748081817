import { type AddressKind, classifyAddress } from './classify-address.ts';
import { MAX_CALLBACK_LENGTH } from './hub-limits.ts';

export type CallbackCheck = { ok: true; url: URL; host: string } | { ok: false; reason: string };

/** Suffixes of names that only resolve inside someone's network (RFC 6762, RFC 8375, …). */
const PRIVATE_SUFFIXES = ['.local', '.internal', '.home.arpa', '.localdomain', '.lan'];

const ADDRESS_WORDS: Record<Exclude<AddressKind, 'public' | 'loopback'>, string> = {
  private: 'a private network address',
  'link-local': 'a link-local address',
  reserved: 'a reserved address',
};

/**
 * Whether the hub may call this URL: to verify intent (§5.3) and to deliver (§7), it sends
 * requests wherever a stranger asks, so a callback must be a public http(s) URL. Refused:
 * other schemes, userinfo, literal addresses that are not public (checked after the URL
 * parser has normalised every spelling of them) and names that only resolve privately.
 * Loopback (127.0.0.0/8, ::1, localhost) passes only with `allowLoopback`, for `npm start`.
 *
 * What cannot be checked here: a public name whose DNS answer is a private address. A Worker
 * has no resolver API, and its fetch leaves from Cloudflare's network, where private
 * addresses lead nowhere of ours (docs/websub.md, "What a Worker cannot check").
 */
export function checkCallback(
  text: string,
  allowLoopback: boolean,
  label = 'hub.callback',
): CallbackCheck {
  if (text.length > MAX_CALLBACK_LENGTH) {
    return { ok: false, reason: `${label} is longer than ${MAX_CALLBACK_LENGTH} characters` };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: `${label} is not an absolute URL` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, reason: `${label} must be an http or https URL` };
  }
  if (url.username !== '' || url.password !== '') {
    return { ok: false, reason: `${label} must not carry a user name or password` };
  }
  url.hash = ''; // never sent; the callback is otherwise kept exactly (§8.3)
  const host = url.hostname.replace(/\.$/, '');
  const kind = classifyAddress(host) ?? classifyName(host);
  if (kind === 'public' || (kind === 'loopback' && allowLoopback)) {
    return { ok: true, url, host };
  }
  if (kind === 'loopback') {
    return {
      ok: false,
      reason: `${label} points at this machine (loopback); only local development allows that (HUB_ALLOW_LOOPBACK=true)`,
    };
  }
  if (kind === 'private-name') {
    return { ok: false, reason: `${label}'s host ${host} is not a public host name` };
  }
  return { ok: false, reason: `${label} points at ${ADDRESS_WORDS[kind]}` };
}

function classifyName(host: string): AddressKind | 'private-name' {
  if (host === 'localhost' || host.endsWith('.localhost')) return 'loopback'; // RFC 6761 §6.3
  if (!host.includes('.')) return 'private-name'; // one label resolves through search domains
  if (PRIVATE_SUFFIXES.some((suffix) => host.endsWith(suffix))) return 'private-name';
  return 'public';
}
