/**
 * Where a literal IP address (as a WHATWG URL hostname spells it) points: the public
 * internet, this machine, or a network a hub must never be made to call (RFC 6890 special-
 * purpose registries, RFC 1918, RFC 6598 CGNAT, RFC 4193 ULA, link-local). The URL parser has
 * already turned every odd IPv4 spelling (`0x7f.1`, `2130706433`, `0177.0.0.1`, `127.1`)
 * into dotted decimal and every IPv6 address into its compressed hex form, so only those
 * two shapes need reading here; anything else is a host name (`undefined`).
 */
export type AddressKind = 'public' | 'loopback' | 'private' | 'link-local' | 'reserved';

const DOTTED_IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export function classifyAddress(hostname: string): AddressKind | undefined {
  const v4 = parseIpv4(hostname);
  if (v4 !== undefined) return classifyIpv4(v4);
  if (hostname.startsWith('[') && hostname.endsWith(']')) {
    const groups = parseIpv6(hostname.slice(1, -1));
    return groups === undefined ? 'reserved' : classifyIpv6(groups);
  }
  return undefined;
}

/** The four octets of a dotted-decimal address, or undefined. */
function parseIpv4(text: string): number[] | undefined {
  const match = DOTTED_IPV4.exec(text);
  if (match === null) return undefined;
  const octets = match.slice(1).map(Number);
  return octets.every((octet) => octet <= 255) ? octets : undefined;
}

type Range = readonly [prefix: readonly number[], bits: number, kind: AddressKind];

// IANA IPv4 Special-Purpose Address Registry (RFC 6890 and updates), as far as a callback
// could name them; everything else is public.
const IPV4_RANGES: readonly Range[] = [
  [[127], 8, 'loopback'],
  [[0], 8, 'reserved'], // "this network" (0.0.0.0 reaches the local host on many stacks)
  [[10], 8, 'private'], // RFC 1918
  [[100, 64], 10, 'private'], // RFC 6598 shared address space (carrier-grade NAT)
  [[169, 254], 16, 'link-local'], // RFC 3927 (cloud metadata services live here)
  [[172, 16], 12, 'private'], // RFC 1918
  [[192, 0, 0], 24, 'reserved'], // IETF protocol assignments
  [[192, 0, 2], 24, 'reserved'], // TEST-NET-1
  [[192, 88, 99], 24, 'reserved'], // 6to4 relay anycast (deprecated)
  [[192, 168], 16, 'private'], // RFC 1918
  [[198, 18], 15, 'reserved'], // benchmarking
  [[198, 51, 100], 24, 'reserved'], // TEST-NET-2
  [[203, 0, 113], 24, 'reserved'], // TEST-NET-3
  [[224], 4, 'reserved'], // multicast
  [[240], 4, 'reserved'], // reserved, and 255.255.255.255 broadcast
];

function classifyIpv4(octets: readonly number[]): AddressKind {
  const value = octets.reduce((sum, octet) => sum * 256 + octet, 0);
  for (const [prefix, bits, kind] of IPV4_RANGES) {
    const base = [0, 1, 2, 3].reduce((sum, i) => sum * 256 + (prefix[i] ?? 0), 0);
    const size = 2 ** (32 - bits);
    if (Math.floor(value / size) === Math.floor(base / size)) return kind;
  }
  return 'public';
}

/** Eight 16-bit groups, or undefined when the text is not an IPv6 address. */
function parseIpv6(text: string): number[] | undefined {
  let rest = text.toLowerCase();
  const tail: number[] = [];
  // An embedded IPv4 tail (`::ffff:1.2.3.4`): the URL serializer writes hex, others may not.
  const dotted = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(rest);
  if (dotted?.[1] !== undefined) {
    const v4 = parseIpv4(dotted[1]);
    if (v4 === undefined) return undefined;
    tail.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
    rest = rest.slice(0, -dotted[1].length);
    rest = rest.endsWith('::') ? rest : rest.replace(/:$/, '');
  }
  const halves = rest.split('::');
  if (halves.length > 2) return undefined;
  const read = (part: string | undefined) =>
    part === undefined || part === '' ? [] : part.split(':').map((g) => parseGroup(g));
  const head = read(halves[0]);
  const back = [...read(halves[1]), ...tail];
  if ([...head, ...back].some((group) => group === undefined)) return undefined;
  const missing = 8 - head.length - back.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  return [...head, ...Array<number>(Math.max(missing, 0)).fill(0), ...back] as number[];
}

function parseGroup(group: string): number | undefined {
  return /^[0-9a-f]{1,4}$/.test(group) ? Number.parseInt(group, 16) : undefined;
}

function classifyIpv6(g: readonly number[]): AddressKind {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const embedded = () => classifyIpv4([g6 >> 8, g6 & 0xff, g7 >> 8, g7 & 0xff]);
  const zeroUpTo5 = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
  if (zeroUpTo5 && g5 === 0 && g6 === 0) return g7 === 1 ? 'loopback' : 'reserved'; // ::1, ::
  if (zeroUpTo5 && g5 === 0xffff) return embedded(); // IPv4-mapped, ::ffff:a.b.c.d
  if (zeroUpTo5 && g5 === 0) return embedded(); // IPv4-compatible (deprecated)
  if (g0 === 0x64 && g1 === 0xff9b) {
    // NAT64 (RFC 6052) translates to the embedded IPv4 address; 64:ff9b:1::/48 is local use.
    return g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0 ? embedded() : 'private';
  }
  if (g0 === 0x2002) return classifyIpv4([g1 >> 8, g1 & 0xff, g2 >> 8, g2 & 0xff]); // 6to4
  if (g0 === 0x2001 && g1 === 0) return 'reserved'; // Teredo tunnels
  if (g0 === 0x2001 && g1 === 0xdb8) return 'reserved'; // documentation
  if (g0 === 0x100 && g1 === 0 && g2 === 0 && g3 === 0) return 'reserved'; // discard-only
  if ((g0 & 0xfe00) === 0xfc00) return 'private'; // fc00::/7 unique local (RFC 4193)
  if ((g0 & 0xffc0) === 0xfe80) return 'link-local'; // fe80::/10
  if ((g0 & 0xffc0) === 0xfec0) return 'private'; // fec0::/10 site-local (deprecated)
  if ((g0 & 0xff00) === 0xff00) return 'reserved'; // multicast
  return 'public';
}
