/**
 * The build leaves `<p class="push-count" data-push-feed="{scope}" hidden></p>` on each
 * scope's page; this fills the one for `scope` with "N push subscribers · M fediverse
 * followers" (each only when not 0) and shows it,
 * streaming (HTMLRewriter), so the page is never held whole in memory.
 */
export function fillPushCount(
  response: Response,
  scope: string,
  count: number,
  followers = 0,
): Response {
  const parts = [];
  if (count > 0) parts.push(`${count} push ${count === 1 ? 'subscriber' : 'subscribers'}`);
  if (followers > 0) {
    parts.push(`${followers} fediverse ${followers === 1 ? 'follower' : 'followers'}`);
  }
  const text = parts.join(' · ');
  return new HTMLRewriter()
    .on('p.push-count[data-push-feed]', {
      element(element) {
        if (element.getAttribute('data-push-feed') !== scope) return;
        element.setInnerContent(text);
        element.removeAttribute('hidden');
      },
    })
    .transform(response);
}
