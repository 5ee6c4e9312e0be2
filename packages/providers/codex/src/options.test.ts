import { describe, expect, it } from "vitest";
import { codexOptionsSchema } from "./options.js";

function issues(input: unknown) {
  const parsed = codexOptionsSchema.safeParse(input);
  expect(parsed.success).toBe(false);
  return parsed.success ? [] : parsed.error.issues;
}

describe("codexOptionsSchema", () => {
  it("accepts every option and defaults skipGitRepoCheck to false", () => {
    expect(codexOptionsSchema.parse({})).toEqual({ skipGitRepoCheck: false });
    const full = {
      model: "gpt-5.5",
      systemPrompt: "Be terse",
      reasoningEffort: "xhigh",
      providerBackend: "model_provider",
      modelProvider: "fake",
      ossProvider: "ollama",
      skipGitRepoCheck: true,
      outputSchema: { type: "object" },
      additionalDirectories: ["/data"],
      configOverrides: { "model_providers.fake.stream_max_retries": 0, "tools.update_plan": { enabled: true }, "sandbox_permissions": ["a", "b"] },
      sandbox: "read-only",
      profile: "ci",
    };
    expect(codexOptionsSchema.parse(full)).toEqual(full);
  });

  it("rejects an unknown key, naming it", () => {
    const [issue] = issues({ model: "gpt-5.5", maxTurns: 3 });
    expect(issue?.code).toBe("unrecognized_keys");
    expect(issue?.message).toContain("maxTurns");
  });

  it.each([
    ["reasoningEffort", "ultra"],
    ["providerBackend", "anthropic"],
    ["ossProvider", "vllm"],
    ["sandbox", "none"],
    ["model", "  "],
    ["skipGitRepoCheck", "yes"],
    ["outputSchema", "{}"],
    ["additionalDirectories", [""]],
  ])("rejects %s = %j", (key, value) => {
    expect(issues({ [key]: value }).map((issue) => issue.path[0])).toContain(key);
  });

  it("rejects config override keys that are not dotted bare keys", () => {
    const found = issues({ configOverrides: { "model providers": "x" } });
    expect(found[0]?.path).toEqual(["configOverrides", "model providers"]);
  });

  it("rejects config override values TOML cannot hold", () => {
    expect(issues({ configOverrides: { a: null } })[0]?.path).toEqual(["configOverrides", "a"]);
    expect(issues({ configOverrides: { b: [1, Number.NaN] } })[0]?.path).toEqual(["configOverrides", "b"]);
  });

  it("does not declare the common keys the kernel owns", () => {
    for (const key of ["cliPath", "cwd", "env", "extraArgs", "ollama", "ollamaModel", "ollamaBaseUrl", "idleTimeoutMs", "wallTimeoutMs", "maxLineBytes", "approvalTimeoutMs"]) {
      expect(Object.keys(codexOptionsSchema.shape)).not.toContain(key);
    }
  });
});
