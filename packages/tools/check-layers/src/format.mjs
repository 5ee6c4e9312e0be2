// Renders check results for people (one line per violation) and for machines (JSON).

/**
 * One violation on one line: rule, package, offending dependency or import, file:line, reason.
 * @param {import("./check.mjs").Violation} v
 * @returns {string}
 */
export function formatViolation(v) {
  const what = v.target === null ? v.package : `${v.package} → ${v.via === "import" ? `import "${v.target}"` : `${v.target} (${v.via})`}`;
  return `${v.rule}: ${what} at ${v.file}:${v.line} — ${v.message}`;
}

/**
 * The layer table: one line per layer (rank, name, its packages, what it may use), lowest rank
 * first, so the output shows the architecture it checked.
 * @param {import("./check.mjs").LayerRow[]} layers
 * @returns {string[]}
 */
export function formatLayers(layers) {
  const rows = [...layers].sort((a, b) => a.rank - b.rank);
  const nameWidth = Math.max(...rows.map((row) => row.name.length));
  return rows.map((row) => {
    const packages = row.packages.length === 0 ? "(no package yet)" : row.packages.join(", ");
    const uses = row.allow === null ? "anything" : row.allow.length === 0 ? "nothing" : row.allow.join(", ");
    return `rank ${row.rank}  ${row.name.padEnd(nameWidth)}  ${packages} — may use: ${uses}`;
  });
}

/**
 * The closing summary line.
 * @param {import("./check.mjs").CheckStats} stats
 * @param {number} violationCount
 * @returns {string}
 */
export function formatSummary(stats, violationCount) {
  return `check:layers: ${stats.packages} packages, ${stats.imports} imports checked, ${violationCount} violation${violationCount === 1 ? "" : "s"}`;
}

/**
 * The machine-readable report.
 * @param {{ violations: import("./check.mjs").Violation[], stats: import("./check.mjs").CheckStats, layers: import("./check.mjs").LayerRow[] }} result
 * @returns {string}
 */
export function formatJson(result) {
  return JSON.stringify({ ok: result.violations.length === 0, violations: result.violations, stats: result.stats, layers: result.layers }, null, 2);
}
