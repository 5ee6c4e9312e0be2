import { describe, expect, it } from "vitest";
import { formatReport, hasBump, unhandledReasons, type ProviderReport } from "./report.js";
import { readVitestJson } from "./test-runs.js";

const codex = { name: "@openai/codex", provider: "codex", kind: "cli", recorderTable: "codex" } as const;

function report(overrides: Partial<ProviderReport> = {}): ProviderReport {
  return {
    provider: "codex",
    updates: [{ pkg: codex, pinned: ["0.169.0"], latest: "0.171.0", bumps: [{ file: "packages/e2e/package.json", section: "devDependencies", name: codex.name, spec: "0.169.0", next: "0.171.0" }] }],
    scenarios: [{ scenario: "codex/text", status: "unchanged", exitBefore: "0", exitAfter: "0", diff: { addedEvents: [], removedEvents: [], fields: [] }, appeared: { raw: {}, schemaDrift: [] } }],
    tests: [{ packageDir: "packages/providers/codex", passed: 10, failed: 0, failures: [] }],
    ...overrides,
  };
}

describe("the verdict", () => {
  it("is handled when tests pass and no warning appeared", () => {
    expect(hasBump(report())).toBe(true);
    expect(unhandledReasons(report())).toEqual([]);
    expect(formatReport([report()], { date: "2026-12-07", mode: "update" })).toContain("Handled:");
  });

  it("refuses on a failing test, a new raw key, schema drift, a lost scenario or a changed exit", () => {
    const bad = report({
      scenarios: [
        { scenario: "codex/text", status: "changed", exitBefore: "0", exitAfter: "1", appeared: { raw: { "item.completed/new_item": 1 }, schemaDrift: ["codex printed an event type this profile does not know: x"] } },
        { scenario: "codex/tool", status: "gone", appeared: { raw: {}, schemaDrift: [] } },
      ],
      tests: [{ packageDir: "packages/providers/codex", passed: 9, failed: 1, failures: [{ file: "src/internal/parser.coverage.test.ts", name: "pinned/text.jsonl has no field", message: "expected [] to equal" }] }],
    });
    expect(unhandledReasons(bad)).toEqual([
      "packages/providers/codex: test failed: pinned/text.jsonl has no field (src/internal/parser.coverage.test.ts): expected [] to equal",
      "codex/text: item.completed/new_item now passes through as raw (1×)",
      "codex/text: schema_drift: codex printed an event type this profile does not know: x",
      "codex/text: exit 0 became 1",
      "codex/tool: not produced by the new version",
    ]);
    expect(formatReport([bad], { date: "2026-12-07", mode: "update" })).toContain("**Not handled**");
  });

  it("prints the pin edits and the field changes as tables", () => {
    const text = formatReport(
      [report({ scenarios: [{ scenario: "codex/text", status: "changed", diff: { addedEvents: ["turn.new"], removedEvents: [], fields: [{ eventKey: "turn.completed", path: "usage.x", change: "added", before: [], after: ["number"] }] }, appeared: { raw: {}, schemaDrift: [] } }] })],
      { date: "2026-12-07", mode: "update" },
    );
    expect(text).toContain("| `@openai/codex` | codex | 0.169.0 | 0.171.0 | `packages/e2e/package.json` devDependencies: `0.169.0` → `0.171.0` |");
    expect(text).toContain("New event types: `turn.new`");
    expect(text).toContain("| `turn.completed` | `usage.x` | added | number |");
  });
});

describe("readVitestJson", () => {
  it("lists failed tests and files that failed to load", () => {
    const run = readVitestJson("packages/providers/codex", "/repo", {
      numPassedTests: 3,
      numFailedTests: 1,
      testResults: [
        { name: "/repo/packages/providers/codex/src/a.test.ts", assertionResults: [{ fullName: "a works", status: "passed" }, { fullName: "a fails", status: "failed", failureMessages: ["AssertionError: no\n at x"] }] },
        { name: "/repo/packages/providers/codex/src/b.test.ts", message: "Failed to load b\nstack", assertionResults: [] },
      ],
    });
    expect(run).toEqual({
      packageDir: "packages/providers/codex",
      passed: 3,
      failed: 2,
      failures: [
        { file: "packages/providers/codex/src/a.test.ts", name: "a fails", message: "AssertionError: no" },
        { file: "packages/providers/codex/src/b.test.ts", name: "(file)", message: "Failed to load b" },
      ],
    });
  });

  it("says that vitest's timeout placeholder is a timeout", () => {
    const run = readVitestJson("packages/providers/codex", "/repo", {
      numFailedTests: 1,
      testResults: [{ name: "/repo/packages/providers/codex/src/a.test.ts", assertionResults: [{ fullName: "a slow", status: "failed", failureMessages: ["Error: STACK_TRACE_ERROR\n    at task (chunk.js:1:1)"] }] }],
    });
    expect(run.failures).toEqual([{ file: "packages/providers/codex/src/a.test.ts", name: "a slow", message: "Error: STACK_TRACE_ERROR (how vitest's JSON report shows a test that timed out)" }]);
  });
});
