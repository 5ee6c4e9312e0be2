/** How {@link summarizeStderr} picks the telling part of a stderr tail. */
export interface StderrSummaryOptions {
  /** Lines that carry no information (progress notices, stack frames), tested on the trimmed line. */
  noise?: readonly RegExp[];
  /** How many of the last meaningful lines to keep (default 1). */
  lines?: number;
  /** Prefer the lines that start with `Error:`, and drop that prefix (default false). */
  preferErrorLines?: boolean;
  /** Longest summary; a longer one keeps its end, after `…` (default 600). */
  maxChars?: number;
}

const ERROR_LINE = /^error:/i;

/**
 * The telling part of a CLI's stderr tail for an error message: blank and noise lines dropped, the
 * last `lines` lines kept (the last `Error:` lines with `preferErrorLines`), at most `maxChars`
 * characters. Empty when nothing is left.
 *
 * @example
 * ```ts
 * summarizeStderr("Loading…\nError: Invalid API key\n", { noise: [/^Loading/], preferErrorLines: true });
 * // "Invalid API key"
 * ```
 */
export function summarizeStderr(stderr: string, options: StderrSummaryOptions = {}): string {
  const noise = options.noise ?? [];
  const meaningful = stderr
    .split(/\r?\n/)
    .map((line) => line.trimEnd())
    .filter((line) => {
      const trimmed = line.trim();
      return trimmed !== "" && !noise.some((pattern) => pattern.test(trimmed));
    });
  const errorLines = options.preferErrorLines === true ? meaningful.filter((line) => ERROR_LINE.test(line.trim())) : [];
  const chosen = (errorLines.length > 0 ? errorLines : meaningful).slice(-(options.lines ?? 1));
  const text = chosen
    .map((line) => (options.preferErrorLines === true ? line.trim().replace(/^(error:\s*)+/i, "") : line))
    .join("\n")
    .trim();
  const maxChars = options.maxChars ?? 600;
  return text.length > maxChars ? `…${text.slice(-maxChars)}` : text;
}
