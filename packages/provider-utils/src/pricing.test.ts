import type { ModelCatalog } from "@asm/contract";
import { describe, expect, it } from "vitest";
import { costOf, estimateCost, findModel, perMillionTokens, pricingFor } from "./pricing.js";

const catalog: ModelCatalog = {
  defaultModel: "m1",
  models: [
    { id: "m1", aliases: ["alias"], pricing: { inputPerToken: 2, outputPerToken: 3 } },
    { id: "cached", pricing: perMillionTokens({ input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 }) },
    { id: "free" },
  ],
};

describe("pricing", () => {
  it("perMillionTokens converts named prices to per-token prices", () => {
    expect(perMillionTokens({ input: 3, output: 15, cacheRead: 0.3 })).toEqual({ inputPerToken: 3e-6, outputPerToken: 15e-6, cacheReadPerToken: 0.3e-6 });
  });

  it("costOf prices input, output and both cache kinds", () => {
    const pricing = pricingFor(catalog, "cached");
    expect(pricing).not.toBeNull();
    const cost = costOf(pricing!, { inputTokens: 1000, outputTokens: 100, cacheReadInputTokens: 10_000, cacheCreationInputTokens: 2000 });
    expect(cost).toBeCloseTo(1000 * 3e-6 + 100 * 15e-6 + 10_000 * 0.3e-6 + 2000 * 3.75e-6, 12);
    // Without cache prices, cache tokens cost the input price.
    expect(costOf({ inputPerToken: 1, outputPerToken: 0 }, { inputTokens: 1, outputTokens: 0, cacheReadInputTokens: 2, cacheCreationInputTokens: 3 })).toBe(6);
  });

  it("finds models by id or alias, never by a prototype member", () => {
    expect(findModel(catalog, "alias")?.id).toBe("m1");
    expect(findModel(catalog, "ALIAS")).toBeUndefined();
    expect(findModel(catalog, "constructor")).toBeUndefined();
    expect(findModel(catalog, undefined)).toBeUndefined();
  });

  it("estimateCost is null for unknown or unpriced models, never a made-up 0", () => {
    expect(estimateCost(catalog, "alias", { inputTokens: 1, outputTokens: 1 })).toBe(5);
    expect(estimateCost(catalog, null, { inputTokens: 1, outputTokens: 0 })).toBe(2);
    expect(estimateCost(catalog, "other", { inputTokens: 1, outputTokens: 1 })).toBeNull();
    expect(estimateCost(catalog, "free", { inputTokens: 1, outputTokens: 1 })).toBeNull();
    expect(estimateCost({ defaultModel: null, models: [] }, null, { inputTokens: 1, outputTokens: 1 })).toBeNull();
    expect(estimateCost(catalog, "m1", { inputTokens: Number.MAX_VALUE, outputTokens: Number.MAX_VALUE })).toBeNull();
  });
});
