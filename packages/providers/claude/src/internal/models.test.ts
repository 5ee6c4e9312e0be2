import { describe, expect, it } from "vitest";
import { CLAUDE_DEFAULT_MODEL, claudeModels, estimateClaudeCostUsd, findClaudeModel } from "./models.js";

describe("claudeModels", () => {
  it("has the default model, unique ids and aliases, and prices on every entry", () => {
    expect(findClaudeModel(CLAUDE_DEFAULT_MODEL)?.id).toBe(claudeModels.defaultModel);
    const names = claudeModels.models.flatMap((entry) => [entry.id, ...(entry.aliases ?? [])]);
    expect(new Set(names).size).toBe(names.length);
    for (const entry of claudeModels.models) {
      expect(entry.pricing?.inputPerToken).toBeGreaterThan(0);
      expect(entry.pricing?.outputPerToken).toBeGreaterThan(entry.pricing?.inputPerToken ?? Infinity);
    }
  });

  it("finds models by id, alias, dated id and with a context suffix", () => {
    expect(findClaudeModel("opus")?.id).toBe("claude-opus-5-5");
    expect(findClaudeModel("sonnet")?.id).toBe("claude-sonnet-5-5");
    expect(findClaudeModel("claude-haiku-4-5-20251001")?.id).toBe("claude-haiku-4-5");
    expect(findClaudeModel("claude-opus-4-8[1m]")?.id).toBe("claude-opus-4-8");
    expect(findClaudeModel("llama3.2")).toBeUndefined();
  });

  it("estimates the same cost Claude Code reported in the recorded runs", () => {
    // transcripts/text (2.1.329): 12 in, 2 out on claude-opus-5-5 → 0.000088.
    expect(estimateClaudeCostUsd("claude-opus-5-5", { inputTokens: 12, outputTokens: 2 })).toBeCloseTo(0.000088, 12);
    // transcripts/text-v2.1.197: 12 in, 2 out on claude-opus-4-8[1m] → 0.00011.
    expect(estimateClaudeCostUsd("claude-opus-4-8[1m]", { inputTokens: 12, outputTokens: 2 })).toBeCloseTo(0.00011, 12);
  });

  it("prices cache reads and writes, and returns null for unknown models", () => {
    const cost = estimateClaudeCostUsd("haiku", { inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 1_000_000, cacheCreationInputTokens: 1_000_000 });
    expect(cost).toBeCloseTo(0.01 + 0.125, 12);
    expect(estimateClaudeCostUsd("llama3.2", { inputTokens: 1, outputTokens: 1 })).toBeNull();
    expect(estimateClaudeCostUsd(undefined, { inputTokens: 1, outputTokens: 1 })).toBeNull();
  });
});
