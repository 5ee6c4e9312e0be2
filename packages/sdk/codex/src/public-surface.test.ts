import { describe, expect, it } from "vitest";
import * as lane from "./index.js";

// The package's runtime surface, written out: the lane, what it can do, and the option bridges
// for callers who drive Codex themselves. Everything under internal/ stays inside.
describe("@asm/sdk-codex's public surface", () => {
  it("exports exactly the lane's API", () => {
    expect(Object.keys(lane).sort()).toEqual([
      "CODEX_APP_SERVER_CAPABILITIES",
      "CODEX_APP_SERVER_FEATURES",
      "codexAppServerLane",
      "codexAppServerThreadParams",
      "codexSdkOptions",
      "codexThreadOptions",
    ]);
  });
});
