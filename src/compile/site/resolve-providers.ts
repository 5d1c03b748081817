import type { ArticleCore, ProviderInfo } from '../../core/published-article.ts';
import { itemNames } from './item-names.ts';

/**
 * Each article's provider as its items show it: the organizations data's name and logo
 * when it lists the domain, else the article's own. An item never shows what another
 * article says about its provider, so adding a newer article with another spelling of a
 * name changes no archived page (RFC 5005 §4: archive documents do not change). Equal
 * providers are one shared object, which keeps 100,000 articles' cores small and lets the
 * planner spell each provider once. Returns the providers' organizations entries, by domain.
 */
export function resolveProviders(
  articles: ArticleCore[],
  organizations: ProviderInfo[],
): Map<string, ProviderInfo> {
  const listed = new Map<string, ProviderInfo>();
  for (const org of organizations) listed.set(org.domain, org);
  const names = itemNames({ topics: [], organizations });
  const shared = new Map<string, ProviderInfo>();
  for (const a of articles) {
    const { domain, name, logo } = names.provider(a.provider);
    const key = `${domain}\u0000${name}\u0000${logo ?? ''}`;
    let provider = shared.get(key);
    if (provider === undefined) {
      provider = { domain, name, logo };
      shared.set(key, provider);
    }
    a.provider = provider;
  }
  return listed;
}
