import { readFileSync, readdirSync } from "node:fs";
import { CAPABILITIES, type Capability, type ProviderDefinition } from "@asm/contract";
import { describe, expect, it } from "vitest";
import { claude, claudeOptionsSchema } from "./index.js";

const provider = claude();
const profile = provider.profile!;
type BuildInput = Parameters<typeof profile.buildInvocation>[0];
// The options as the kernel hands them over: validated (defaults applied), then normalized.
const build = ({ options = {}, ...extra }: Partial<Omit<BuildInput, "options">> & { options?: Record<string, unknown> } = {}) =>
  profile.buildInvocation({ prompt: "hi", maxArgvPromptBytes: 1000, ...extra, options: provider.normalizeOptions!(claudeOptionsSchema.parse(options)) });
const parse = (...lines: unknown[]) => {
  const parser = profile.createParser({ provider: "claude", reply: () => undefined });
  return lines.flatMap((line) => parser.line(JSON.stringify(line)));
};

// Each capability the provider claims, shown by what the profile actually does.
const EVIDENCE: Partial<Record<Capability, (definition: ProviderDefinition) => void>> = {
  streaming: () => {
    const events = parse({ type: "stream_event", event: { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "O" } } });
    expect(events.map((event) => event.kind)).toEqual(["assistant_delta"]);
  },
  tools: () => {
    const events = parse({ type: "assistant", message: { content: [{ type: "tool_use", id: "t1", name: "Bash", input: {} }] } });
    expect(events[0]).toMatchObject({ kind: "tool_use", payload: { toolName: "Bash", toolCallId: "t1" } });
  },
  approval: () => {
    const events = parse({ type: "control_request", request_id: "r1", request: { subtype: "can_use_tool", tool_name: "Bash", input: {} } });
    expect(events[0]).toMatchObject({ kind: "approval_requested", payload: { approvalId: "r1", subject: "Bash" } });
    expect(JSON.parse(profile.control!.approvalReply({ requestId: "r1", toolInput: {} }, "allow"))).toMatchObject({ type: "control_response" });
  },
  interrupt: () => expect(JSON.parse(profile.control!.interruptLine("i1") ?? "null")).toMatchObject({ request: { subtype: "interrupt" } }),
  resume: () => expect(build({ continuation: { strategy: "exact", providerSessionId: "s-9" } }).args).toEqual(expect.arrayContaining(["--resume", "s-9"])),
  cost: () => {
    const events = parse({ type: "result", subtype: "success", is_error: false, result: "OK", total_cost_usd: 0.5, usage: { input_tokens: 1, output_tokens: 1 } });
    expect(events.find((event) => event.kind === "cost_update")?.payload).toMatchObject({ costUsd: 0.5 });
  },
  thinking: () => {
    expect(parse({ type: "assistant", message: { content: [{ type: "thinking", thinking: "hmm" }] } })[0]?.kind).toBe("thinking");
    expect(build({ options: { includeThinking: true } }).args).toEqual(expect.arrayContaining(["--thinking", "enabled"]));
  },
  structured_output: () => expect(build({ options: { jsonSchema: { type: "object" } } }).args).toContain("--json-schema"),
  multi_turn: () => expect(JSON.parse(profile.control!.userMessageLine("next"))).toMatchObject({ type: "user" }),
  control_protocol: () => {
    const invocation = build();
    expect(invocation.closeStdin).toBe(false);
    expect(invocation.args).toEqual(expect.arrayContaining(["--input-format", "stream-json"]));
  },
};

describe("claude()", () => {
  it("describes the Claude Code provider", () => {
    expect(provider).toMatchObject({ name: "claude", displayName: "Claude Code", admission: { maxConcurrentRuns: 1, maxQueuedRuns: 10 } });
    expect(profile.id).toBe("claude");
    expect(profile.cli.binaryNames).toEqual(["claude"]);
    expect(profile.control?.endInputOnOutcome).toBe(true);
    expect(provider.features.commonFeatures["ollama"]).toMatchObject({
      supported: true,
      activation: { providerBackend: "ollama" },
      modelStrategy: "canonical_or_direct_external",
    });
    expect(provider.normalizeOptions?.({ controlProtocol: true, includePartialMessages: true, ollama: true, ollamaModel: "m" })).toMatchObject({ providerBackend: "ollama", model: "m" });
  });

  it("claims only contract capabilities, the same on the provider and its profile", () => {
    for (const capability of provider.capabilities) expect(CAPABILITIES).toContain(capability);
    expect([...profile.capabilities].sort()).toEqual([...provider.capabilities].sort());
  });

  it.each(Object.keys(EVIDENCE) as Capability[])("backs the claimed capability %s with behaviour", (capability) => {
    expect(provider.capabilities).toContain(capability);
    EVIDENCE[capability]?.(provider);
  });

  it("claims no capability it cannot show", () => {
    expect(provider.capabilities.filter((capability) => EVIDENCE[capability] === undefined)).toEqual([]);
  });

  it("depends on the contract and the provider utilities only, never on the kernel", () => {
    const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { dependencies: Record<string, string> };
    expect(Object.keys(manifest.dependencies).sort()).toEqual(["@asm/contract", "@asm/provider-utils", "zod"]);
    const sources = readdirSync(new URL(".", import.meta.url), { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".ts"));
    for (const file of sources) {
      expect(readFileSync(new URL(file, import.meta.url), "utf8"), file).not.toMatch(/from "@asm\/core"/);
    }
  });
});
