import { describe, expect, it } from "vitest";
import * as lane from "./index.js";

// The package's runtime surface, written out: the lane, what it can do, the SDK loader, and the
// options bridge for callers who drive the SDK themselves. Everything under internal/ stays inside.
describe("@asm/sdk-claude's public surface", () => {
  it("exports exactly the lane's API", () => {
    expect(Object.keys(lane).sort()).toEqual([
      "CLAUDE_AGENT_SDK",
      "CLAUDE_AGENT_SDK_INSTALL_HINT",
      "CLAUDE_SDK_CAPABILITIES",
      "CLAUDE_SDK_FEATURES",
      "claudeSdkLane",
      "claudeSdkOptions",
      "loadClaudeSdk",
    ]);
  });
});
