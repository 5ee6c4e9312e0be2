import type { ParserWarnings } from "./parser-replay.js";
import type { PinBump } from "./pins.js";
import { isEmptyDiff, type FieldChange, type ShapeDiff } from "./shape-diff.js";
import type { TestRun } from "./test-runs.js";
import type { ProviderId, TrackedPackage } from "./tracked.js";

/** One package's move: the versions pinned now, the registry's newest, and the pin edits. */
export interface PackageUpdate {
  pkg: TrackedPackage;
  /** The distinct exact versions pinned in the workspace. */
  pinned: string[];
  latest: string;
  /** Every pin and its new spec (unchanged pins included, `next === spec`). */
  bumps: PinBump[];
}

/** What changed in one re-recorded scenario. */
export interface ScenarioReport {
  /** `<cli>/<name>`. */
  scenario: string;
  /** `new`: no earlier recording; `gone`: the new run did not produce it. */
  status: "changed" | "unchanged" | "new" | "gone";
  diff?: ShapeDiff;
  exitBefore?: string;
  exitAfter?: string;
  /** Parser warnings the new recording gives that the earlier one did not. */
  appeared: ParserWarnings;
}

/** Everything `pnpm cli:update` found for one provider. */
export interface ProviderReport {
  provider: ProviderId;
  updates: PackageUpdate[];
  /** Why the transcripts were not re-recorded, when they were not. */
  notRecorded?: string;
  scenarios: ScenarioReport[];
  tests: TestRun[];
  /** The supported-versions bound the profile needs for the new version. */
  supportedRange?: { file: string; from: string; to: string };
}

/** Whether any of the provider's packages moves. */
export function hasBump(report: ProviderReport): boolean {
  return report.updates.some((update) => update.bumps.some((bump) => bump.next !== bump.spec));
}

/**
 * Why the update must not land as it is (empty when the parsers handle everything): failing
 * tests (the field-coverage test among them: a field no parser maps or ignores), native event
 * keys that now come out as `raw`, `schema_drift` warnings, or a scenario the new CLI no longer
 * completes the same way.
 */
export function unhandledReasons(report: ProviderReport): string[] {
  const reasons: string[] = [];
  for (const run of report.tests) {
    if (run.error !== undefined) reasons.push(`${run.packageDir}: ${run.error}`);
    for (const failure of run.failures) reasons.push(`${run.packageDir}: test failed: ${failure.name} (${failure.file}): ${failure.message}`);
  }
  for (const scenario of report.scenarios) {
    for (const [key, count] of Object.entries(scenario.appeared.raw)) reasons.push(`${scenario.scenario}: ${key} now passes through as raw (${count}×)`);
    for (const message of scenario.appeared.schemaDrift) reasons.push(`${scenario.scenario}: schema_drift: ${message}`);
    if (scenario.status === "gone") reasons.push(`${scenario.scenario}: not produced by the new version`);
    if (scenario.exitBefore !== undefined && scenario.exitAfter !== undefined && scenario.exitBefore !== scenario.exitAfter) {
      reasons.push(`${scenario.scenario}: exit ${scenario.exitBefore} became ${scenario.exitAfter}`);
    }
  }
  return reasons;
}

const types = (list: readonly string[]): string => (list.length === 0 ? "—" : list.join("\\|"));

function fieldLine(change: FieldChange): string {
  const path = change.path === "" ? "(line)" : change.path;
  switch (change.change) {
    case "added":
      return `| \`${change.eventKey}\` | \`${path}\` | added | ${types(change.after)} |`;
    case "removed":
      return `| \`${change.eventKey}\` | \`${path}\` | removed | ${types(change.before)} |`;
    default:
      return `| \`${change.eventKey}\` | \`${path}\` | type | ${types(change.before)} → ${types(change.after)} |`;
  }
}

function scenarioSection(scenario: ScenarioReport): string[] {
  const lines = [`#### \`${scenario.scenario}\`: ${scenario.status}${scenario.exitAfter === undefined ? "" : ` (exit ${scenario.exitBefore ?? "?"} → ${scenario.exitAfter})`}`, ""];
  const diff = scenario.diff;
  if (diff !== undefined && !isEmptyDiff(diff)) {
    if (diff.addedEvents.length > 0) lines.push(`New event types: ${diff.addedEvents.map((key) => `\`${key}\``).join(", ")}`, "");
    if (diff.removedEvents.length > 0) lines.push(`Event types no longer printed: ${diff.removedEvents.map((key) => `\`${key}\``).join(", ")}`, "");
    if (diff.fields.length > 0) lines.push("| event | field | change | JSON types |", "| --- | --- | --- | --- |", ...diff.fields.map(fieldLine), "");
  } else if (scenario.status === "unchanged") {
    lines.push("Same event types, fields and JSON types.", "");
  }
  const raw = Object.entries(scenario.appeared.raw);
  if (raw.length > 0) lines.push(`Now passed through as \`raw\`: ${raw.map(([key, count]) => `\`${key}\` (${count}×)`).join(", ")}`, "");
  if (scenario.appeared.schemaDrift.length > 0) lines.push(`New \`schema_drift\` warnings: ${scenario.appeared.schemaDrift.map((text) => `“${text}”`).join("; ")}`, "");
  return lines;
}

/** The report as Markdown, for the terminal and for `docs/`. */
export function formatReport(reports: readonly ProviderReport[], meta: { date: string; mode: string }): string {
  const lines = [`# CLI update report, ${meta.date}`, "", `Mode: ${meta.mode}.`, "", "| package | provider | pinned | registry | pins changed |", "| --- | --- | --- | --- | --- |"];
  for (const report of reports) {
    for (const update of report.updates) {
      const changed = update.bumps.filter((bump) => bump.next !== bump.spec);
      const edits = changed.length === 0 ? "none" : changed.map((bump) => `\`${bump.file}\` ${bump.section}: \`${bump.spec}\` → \`${bump.next}\``).join("<br>");
      lines.push(`| \`${update.pkg.name}\` | ${report.provider} | ${update.pinned.join(", ") || "—"} | ${update.latest} | ${edits} |`);
    }
  }
  lines.push("");
  for (const report of reports) {
    lines.push(`## ${report.provider}`, "");
    if (report.supportedRange !== undefined) {
      lines.push(`Supported versions: \`maxExclusive\` ${report.supportedRange.from} → ${report.supportedRange.to} (\`${report.supportedRange.file}\`).`, "");
    }
    lines.push("### Transcripts", "");
    if (report.notRecorded !== undefined) lines.push(`Not re-recorded: ${report.notRecorded}.`, "");
    for (const scenario of report.scenarios) lines.push(...scenarioSection(scenario));
    lines.push("### Tests", "");
    for (const run of report.tests) {
      lines.push(`- \`${run.packageDir}\`: ${run.passed} passed, ${run.failed} failed${run.error === undefined ? "" : ` (${run.error})`}`);
      for (const failure of run.failures) lines.push(`  - ${failure.name} (\`${failure.file}\`): ${failure.message}`);
    }
    if (report.tests.length === 0) lines.push("- none run");
    lines.push("");
    const reasons = unhandledReasons(report);
    lines.push("### Verdict", "");
    if (!hasBump(report)) lines.push("Already current: nothing to bump.");
    else if (reasons.length === 0) lines.push("Handled: the parsers map or knowingly ignore everything the new version printed, and the tests pass.");
    else lines.push("**Not handled**: the bump is refused until these are fixed:", "", ...reasons.map((reason) => `- ${reason}`));
    lines.push("");
  }
  return lines.join("\n");
}
