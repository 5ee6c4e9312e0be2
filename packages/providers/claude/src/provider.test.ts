import { readFileSync, readdirSync } from "node:fs";
import { CAPABILITIES } from "@asm/contract";
import { describe, expect, it } from "vitest";
import { claude } from "./index.js";

describe("claude()", () => {
  it("describes the Claude Code provider", () => {
    const provider = claude();
    expect(provider.name).toBe("claude");
    expect(provider.displayName).toBe("Claude Code");
    expect(provider.admission).toEqual({ maxConcurrentRuns: 1, maxQueuedRuns: 10 });
    expect([...provider.capabilities]).toEqual([
      "streaming",
      "tools",
      "approval",
      "interrupt",
      "resume",
      "cost",
      "thinking",
      "structured_output",
      "multi_turn",
      "control_protocol",
    ]);
    expect(provider.capabilities.every((capability) => (CAPABILITIES as readonly string[]).includes(capability))).toBe(true);
    expect(provider.profile?.id).toBe("claude");
    expect(provider.profile?.capabilities).toEqual(provider.capabilities);
    expect(provider.profile?.control?.endInputOnOutcome).toBe(true);
    expect(provider.features.commonFeatures["ollama"]).toMatchObject({
      supported: true,
      activation: { providerBackend: "ollama" },
      modelStrategy: "canonical_or_direct_external",
    });
    expect(provider.normalizeOptions?.({ controlProtocol: true, ollama: true, ollamaModel: "m" })).toMatchObject({ providerBackend: "ollama", model: "m" });
  });

  it("the profile's parser and invocation are wired", () => {
    const profile = claude().profile;
    const parser = profile?.createParser({ provider: "claude", reply: () => {} });
    expect(parser?.line('{"type":"result","subtype":"success","is_error":false,"result":"OK"}').map((event) => event.kind)).toEqual(["result"]);
    expect(profile?.buildInvocation({ prompt: "hi", options: { controlProtocol: true }, maxArgvPromptBytes: 1000 }).args[0]).toBe("-p");
  });

  it("depends on the contract only, never on the kernel", () => {
    const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { dependencies: Record<string, string> };
    expect(Object.keys(manifest.dependencies).sort()).toEqual(["@asm/contract", "zod"]);
    const sources = readdirSync(new URL(".", import.meta.url), { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".ts"));
    for (const file of sources) {
      expect(readFileSync(new URL(file, import.meta.url), "utf8"), file).not.toMatch(/from "@asm\/core"/);
    }
  });
});
