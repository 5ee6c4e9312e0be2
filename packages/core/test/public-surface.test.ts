import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as core from "../src/index.js";

// The kernel's public surface, written out: adding or removing an export is a deliberate change
// here (and in the docs), never a side effect. Internals (discovery, semver, shell quoting, the
// registry class, option partitioning) are not on it, nor is what
// @asm/provider-utils owns (the common option schema, pricing).
describe("@asm/core's public surface", () => {
  it("exports exactly the kernel API", () => {
    expect(Object.keys(core).sort()).toEqual([
      "EXECUTION_KEYS",
      "MemoryStore",
      "RUN_KEYS",
      "RunStream",
      "SESSION_KEYS",
      "Session",
      "TELEMETRY_CHANNELS",
      "addRunCost",
      "allowedToolsGuard",
      "collectEvents",
      "costTracker",
      "createAsm",
      "createCoreBackend",
      "emptyCostTotals",
      "finalResult",
      "finalText",
      "initialRunState",
      "isFinal",
      "localSurface",
      "pass",
      "policyGuard",
      "rebuildRun",
      "reduceEvent",
      "replaySession",
      "runText",
      "sessionIndex",
      "summarizeSession",
      "textContent",
      "textDeltas",
      "toResult",
      "validateProviderOptions",
    ]);
  });

  it("seals its internals in the exports map", () => {
    const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { exports: Record<string, unknown> };
    expect(Object.keys(manifest.exports)).toEqual([".", "./internal/*", "./package.json"]);
    expect(manifest.exports["./internal/*"]).toBeNull();
  });
});
