import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as lane from "./index.js";

// The core lane's own small surface, written out: the backend factory and the tools hosts need
// (discovery, version checks, surfaces, the reaper). Process-group plumbing, the JSONL reader,
// semver and shell quoting stay inside.
describe("@asm/core-lane's public surface", () => {
  it("exports exactly the lane's API", () => {
    expect(Object.keys(lane).sort()).toEqual([
      "LaneAgentProcess",
      "LaneTurn",
      "capabilityReport",
      "checkCliVersion",
      "coreLaneRunOptionsSchema",
      "createCoreBackend",
      "createLaneSessionBackend",
      "detectCliVersion",
      "formatRange",
      "installHostExitGuard",
      "listProviderSessions",
      "localSurface",
      "mergeLaneEnv",
      "openWithin",
      "parseLaneRunOptions",
      "providerReport",
      "reapOrphans",
      "replayTranscript",
      "resolveCli",
      "spawnInGroup",
      "sshSurface",
    ]);
  });

  it("seals its internals in the exports map", () => {
    const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { exports: Record<string, unknown> };
    expect(manifest.exports["./internal/*"]).toBeNull();
  });
});
