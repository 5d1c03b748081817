import type { TextStats } from '../core/clean-text.ts';

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
};

/** The one-paragraph summary the command prints. */
export function summarizeReport(r: BuildReport): string {
  return [
    `files read ${r.filesRead}: published ${r.published}, unpublished ${r.unpublished}, invalid ${r.invalid}, duplicates merged ${r.duplicatesMerged}`,
    `feeds ${r.feeds} (site + ${r.topics} topics + ${r.providers} providers), documents ${r.documents}, ${r.bytes} bytes, ${r.milliseconds} ms`,
    `text hygiene: ${r.text.mojibakeRepaired} mojibake sequences repaired, ${r.text.illegalRemoved} XML-illegal characters removed`,
  ].join('\n');
}
