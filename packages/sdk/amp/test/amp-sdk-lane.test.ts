import { amp } from "@asm/amp";
import { createAsm } from "@asm/core";
import { describe, expect, it } from "vitest";
import { ampSdkLane, type AmpSdkModule } from "../src/index.js";

// The Amp SDK lane with injected modules shaped like @sourcegraph/amp-sdk's API (`execute()`
// yielding Amp's Claude-compatible stream JSON): the published SDK cannot start the CLI, so a real
// one is never installed here; the bin check is injected to describe each installation.

const missing = () => Promise.reject(Object.assign(new Error("Cannot find package '@sourcegraph/amp-sdk'"), { code: "ERR_MODULE_NOT_FOUND" }));

function scripted(calls: Array<Record<string, unknown>>): AmpSdkModule {
  return {
    async *execute({ prompt, options }) {
      calls.push({ prompt, ...options });
      await Promise.resolve();
      yield { type: "system", subtype: "init", session_id: "T-1234", cwd: options?.cwd, tools: [] };
      yield { type: "assistant", session_id: "T-1234", message: { role: "assistant", content: [{ type: "text", text: `amp: ${prompt}` }], usage: { input_tokens: 1, output_tokens: 1 } } };
      yield { type: "result", subtype: "success", is_error: false, result: `amp: ${prompt}`, session_id: "T-1234", duration_ms: 5, num_turns: 1, usage: { input_tokens: 1, output_tokens: 1 } };
    },
  };
}

describe("amp sdk lane", () => {
  it("not installed, or installed as published (CLI path gone): unavailable with the reason, auto runs core", async () => {
    const broken = () => "the SDK runs `node /x/node_modules/@sourcegraph/amp/node_modules/@ampcode/cli/bin/amp.exe`, which does not exist";
    for (const [lane, status, reason] of [
      [ampSdkLane({ loadSdk: missing }), "not_installed", "is not installed"],
      [ampSdkLane({ loadSdk: () => Promise.resolve(scripted([])), checkBin: broken }), "broken", "which does not exist"],
      [ampSdkLane({ loadSdk: () => Promise.resolve({ run: () => undefined }), checkBin: () => null }), "broken", "does not export execute()"],
    ] as const) {
      const asm = createAsm({ providers: [amp()], lanes: [lane] });
      expect(await asm.providerInfo("amp")).toMatchObject({ sdkAvailable: false, sdkUnavailableStatus: status, sdkUnavailableReason: expect.stringContaining(reason) });
      expect(await asm.resolve("amp", {})).toMatchObject({ lane: "core", laneFallbackReason: "sdk_unavailable" });
      await expect(asm.resolve("amp", { lane: "sdk" })).rejects.toMatchObject({ code: "unsupported", message: expect.stringContaining(reason) });
      await asm.dispose();
    }
  });

  it("a working module runs through Amp's parser; options without an SDK form are refused", async () => {
    const calls: Array<Record<string, unknown>> = [];
    const asm = createAsm({ providers: [amp()], lanes: [ampSdkLane({ loadSdk: () => Promise.resolve(scripted(calls)), checkBin: () => null })] });
    const result = await asm.query("amp", "hello", { lane: "sdk", permissionMode: "bypass", cwd: "/tmp" });
    expect(result).toMatchObject({ status: "completed", text: "amp: hello", providerSessionId: "T-1234", metadata: { lane: "sdk", backend: "sdk:amp" } });
    expect(calls[0]).toMatchObject({ prompt: "hello", cwd: "/tmp", dangerouslyAllowAll: true });
    await expect(asm.query("amp", "hi", { lane: "sdk", model: "x" })).rejects.toMatchObject({ code: "config_invalid", message: expect.stringContaining("model") });
    await asm.dispose();
  });
});

describe("amp sdk lane against the published package", () => {
  it("detects that the installed @sourcegraph/amp-sdk cannot start the CLI and says why", async () => {
    // The workspace installs the published SDK (it is this lane's optional peer); it is broken as
    // published, and the probe must say so rather than pretend.
    const availability = await ampSdkLane().probe();
    expect(availability.available).toBe(false);
    expect(availability).toMatchObject({ status: "broken", hint: expect.stringContaining("core lane") });
    expect(availability.reason).toMatch(/does not exist|native binary/);
  });
});
