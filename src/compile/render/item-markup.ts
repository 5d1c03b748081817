import type { SiteSettings } from '../../core/feed-group.ts';
import type { ArticleCore, PublishedArticle } from '../../core/published-article.ts';
import { renderAtomEntry, renderJsonItem, renderRssItem } from './render-items.ts';
import { renderNoteBody } from './render-note.ts';
import { renderPageItem } from './render-page-item.ts';

/** Bytes of each slab items are encoded into. */
const SLAB_BYTES = 4 * 2 ** 20;

/**
 * The forms an item takes: in RSS, Atom, JSON Feed, on an HTML page, and the feed-independent
 * part of its ActivityPub Note (render-note.ts).
 */
export type ItemFormat = 'rss' | 'atom' | 'json' | 'html' | 'note';

/**
 * Each article's markup, rendered once per format and reused by every document that lists
 * it (with archives, an article is in its site, topic and provider feeds and in one archive
 * page of each, in four formats). Kept as UTF-8, so nothing is encoded twice. Only one
 * format is kept at a time: the
 * build renders documents format by format, and all of a 100,000-seed site's items in four
 * formats at once would hold half a gigabyte.
 */
export class ItemMarkup {
  readonly #site: SiteSettings;
  readonly #load: (core: ArticleCore) => PublishedArticle;
  #format: ItemFormat | undefined;
  #kept = new Map<ArticleCore, Buffer>();
  /** Items are encoded one after another into slabs, not each into a buffer of its own. */
  #slab = Buffer.allocUnsafe(SLAB_BYTES);
  #used = 0;
  rendered = 0;

  constructor(site: SiteSettings, load: (core: ArticleCore) => PublishedArticle) {
    this.#site = site;
    this.#load = load;
  }

  /** The markup of each article in one format, in the order given. */
  of(format: ItemFormat, articles: readonly ArticleCore[]): Buffer[] {
    if (format !== this.#format) {
      this.#kept = new Map();
      this.#format = format;
    }
    return articles.map((core) => {
      let markup = this.#kept.get(core);
      if (markup === undefined) {
        markup = this.#encode(this.#render(format, this.#load(core)));
        this.#kept.set(core, markup);
        this.rendered++;
      }
      return markup;
    });
  }

  #encode(text: string): Buffer {
    // At most 3 bytes per UTF-16 unit: past what the slab has left, start another.
    if (this.#used + text.length * 3 > this.#slab.length) {
      if (text.length * 3 > SLAB_BYTES) return Buffer.from(text);
      this.#slab = Buffer.allocUnsafe(SLAB_BYTES);
      this.#used = 0;
    }
    const written = this.#slab.write(text, this.#used);
    const markup = this.#slab.subarray(this.#used, this.#used + written);
    this.#used += written;
    return markup;
  }

  #render(format: ItemFormat, article: PublishedArticle): string {
    if (format === 'rss') return renderRssItem(article, this.#site);
    if (format === 'atom') return renderAtomEntry(article, this.#site);
    if (format === 'json') return renderJsonItem(article);
    if (format === 'note') return renderNoteBody(article, this.#site);
    return renderPageItem(article);
  }
}
