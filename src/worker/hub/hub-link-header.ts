/**
 * The Link header of a content distribution (W3C WebSub §7; RFC 8288 §3): the hub and the
 * topic's canonical URL, in one header as §7 recommends. The same value the serving side
 * sends on subscription documents (§4).
 */
export function hubLinkHeader(hubUrl: string, topic: string): string {
  return `<${hubUrl}>; rel="hub", <${topic}>; rel="self"`;
}
