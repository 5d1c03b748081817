import type { ArticleCore, ProviderInfo } from '../../core/published-article.ts';
import { isNewerRecord } from './merge-duplicates.ts';

/**
 * One name and logo per provider domain, used by every item and feed of that provider:
 * the organizations data when it lists the domain, else the provider's newest article.
 */
export function resolveProviders(
  articles: ArticleCore[],
  organizations: ProviderInfo[],
): Map<string, ProviderInfo> {
  const info = new Map<string, ProviderInfo>();
  for (const org of organizations) info.set(org.domain, org);
  const newest = new Map<string, ArticleCore>();
  const newestWithLogo = new Map<string, ArticleCore>();
  for (const a of articles) {
    if (isNewerRecord(a, newest.get(a.provider.domain))) newest.set(a.provider.domain, a);
    if (a.provider.logo && isNewerRecord(a, newestWithLogo.get(a.provider.domain))) {
      newestWithLogo.set(a.provider.domain, a);
    }
  }
  for (const [domain, a] of newest) {
    const org = info.get(domain);
    info.set(domain, {
      domain,
      name: org?.name ?? a.provider.name,
      logo: org?.logo ?? newestWithLogo.get(domain)?.provider.logo,
    });
  }
  for (const a of articles) a.provider = info.get(a.provider.domain) ?? a.provider;
  return info;
}
