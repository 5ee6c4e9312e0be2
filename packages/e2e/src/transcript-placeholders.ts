/** One absolute path and the placeholder that replaces it in recorded output. */
export interface Placeholder {
  path: string;
  placeholder: string;
}

/**
 * The project-directory name Claude Code derives from a working directory: every character that is
 * not a letter or digit becomes `-` (`/tmp/x/work` → `-tmp-x-work`).
 */
export function claudeProjectSlug(path: string): string {
  return path.replace(/[^A-Za-z0-9]/g, "-");
}

/**
 * Replaces every occurrence of each path with its placeholder, longest path first so that a
 * directory inside another gets its own placeholder rather than a mangled one.
 */
export function applyPlaceholders(text: string, placeholders: readonly Placeholder[]): string {
  const ordered = [...placeholders].filter((entry) => entry.path !== "").sort((left, right) => right.path.length - left.path.length);
  let out = text;
  for (const entry of ordered) out = out.split(entry.path).join(entry.placeholder);
  return out;
}
