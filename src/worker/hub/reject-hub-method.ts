import { plainText } from './plain-text.ts';

/** The hub only takes POST (W3C WebSub §5.1): 405 with Allow (RFC 9110 §15.5.6). */
export function rejectHubMethod(): Response {
  return plainText(
    405,
    'This is a WebSub hub: POST a form with hub.mode, hub.topic and hub.callback (W3C WebSub §5.1).',
    { Allow: 'POST' },
  );
}
