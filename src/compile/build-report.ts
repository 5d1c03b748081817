import type { TextStats } from '../core/clean-text.ts';
import type { SealedChanges } from './report-sealed-changes.ts';

/** `build-report.json`: what the build read, kept, rejected and wrote. */
export type BuildReport = {
  filesRead: number;
  published: number;
  unpublished: number;
  invalid: number;
  duplicatesMerged: number;
  topics: number;
  providers: number;
  feeds: number;
  documents: number;
  bytes: number;
  milliseconds: number;
  text: TextStats;
  /** Seed files left out because of a problem (with --skip-invalid they are listed here). */
  rejected: string[];
  /** Every problem, sorted, as `file:line field: message`. */
  problems: string[];
  /**
   * RFC 5005 archive pages (each in three formats), and which sealed ones this build
   * changed and why (undefined on a cold build: nothing to compare with).
   */
  archives: { pages: number; changed: SealedChanges | undefined };
};

/** The one-paragraph summary the command prints. */
export function summarizeReport(r: BuildReport): string {
  return [
    `files read ${r.filesRead}: published ${r.published}, unpublished ${r.unpublished}, invalid ${r.invalid}, duplicates merged ${r.duplicatesMerged}`,
    `feeds ${r.feeds} (site + ${r.topics} topics + ${r.providers} providers), documents ${r.documents}, ${r.bytes} bytes, ${r.milliseconds} ms`,
    `text hygiene: ${r.text.mojibakeRepaired} mojibake sequences repaired, ${r.text.illegalRemoved} XML-illegal characters removed`,
    summarizeArchives(r.archives),
  ].join('\n');
}

/** One line on the archive pages, and on any sealed page this build had to change. */
export function summarizeArchives(archives: BuildReport['archives']): string {
  const line = `archives: ${archives.pages} sealed pages`;
  const changed = archives.changed;
  if (changed === undefined || changed.documents === 0) return line;
  const { edited, added, removed } = changed.because;
  const why = [
    edited > 0 ? `${edited} archived article(s) edited` : '',
    added > 0 ? `${added} article(s) added with an archived date` : '',
    removed > 0 ? `${removed} archived article(s) removed` : '',
  ].filter(Boolean);
  return `${line}; ${changed.documents} sealed page documents in ${changed.feeds} feed(s) changed, because ${why.join(', ') || 'their items changed'}`;
}
