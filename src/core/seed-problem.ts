/** One thing wrong with one seed file, reported as `file:line field: message`. */
export type SeedProblem = {
  /** Path relative to the seeds folder, with forward slashes. */
  file: string;
  line: number;
  /** Dotted path of the front-matter field, or `(file)` / `(front matter)`. */
  field: string;
  message: string;
};

export function formatProblem(p: SeedProblem): string {
  return `${p.file}:${p.line} ${p.field}: ${p.message}`;
}

/** Sorted by file, then line, then field, so reports are stable and easy to scan. */
export function sortProblems(problems: SeedProblem[]): SeedProblem[] {
  return [...problems].sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      (a.field < b.field ? -1 : a.field > b.field ? 1 : 0),
  );
}
