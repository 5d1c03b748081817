import type { BuildRecord } from '../core/build-record.ts';

/**
 * The WebSub discovery header of a subscription document (W3C WebSub §4): the hub that
 * pushes its updates and its own canonical URL, both from the build that is served. Each URL
 * is reserialised by the URL parser, which percent-encodes `<`, `>`, spaces and controls, so
 * a record can never break the header; undefined when either URL is not absolute.
 */
export function websubLink(build: BuildRecord, path: string): string | undefined {
  const hub = absoluteUrl(build.hubUrl);
  const self = absoluteUrl(`${build.siteUrl.replace(/\/+$/, '')}${path}`);
  if (hub === undefined || self === undefined) return undefined;
  return `<${hub}>; rel="hub", <${self}>; rel="self"`;
}

function absoluteUrl(text: string): string | undefined {
  try {
    return new URL(text).href;
  } catch {
    return undefined;
  }
}
