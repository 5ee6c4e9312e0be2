// Minimal glob support for the two places the checker needs it: package folders
// (`packages/providers/*`) and package names (`@types/*`). No dependency, so the
// checker runs straight after `pnpm install`, before anything is built.

/** @type {Map<string, RegExp>} */
const cache = new Map();

/**
 * Compiles a glob (`*` within one path segment, `**` across segments, `?` one
 * character) into an anchored regular expression over `/`-separated paths.
 * @param {string} glob
 * @returns {RegExp}
 */
export function globToRegExp(glob) {
  const cached = cache.get(glob);
  if (cached) return cached;
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === "*" && glob[i + 1] === "*") {
      const atSegmentStart = i === 0 || glob[i - 1] === "/";
      if (atSegmentStart && glob[i + 2] === "/") {
        source += "(?:.*/)?";
        i += 2;
      } else {
        source += ".*";
        i += 1;
      }
    } else if (ch === "*") {
      source += "[^/]*";
    } else if (ch === "?") {
      source += "[^/]";
    } else {
      source += ch.replace(/[.+^${}()|[\]\\]/g, "\\$&");
    }
  }
  const re = new RegExp(`^${source}$`);
  cache.set(glob, re);
  return re;
}

/**
 * Whether `value` (a `/`-separated path or a package name) matches `glob`.
 * @param {string} value
 * @param {string} glob
 * @returns {boolean}
 */
export function matchesGlob(value, glob) {
  return globToRegExp(glob).test(value);
}

/**
 * Whether `value` matches any of `globs`.
 * @param {string} value
 * @param {readonly string[]} globs
 * @returns {boolean}
 */
export function matchesAny(value, globs) {
  return globs.some((glob) => matchesGlob(value, glob));
}
