import { randomUUID } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { claude } from "@asm/claude";
import { codex } from "@asm/codex";
import type { AsmEvent } from "@asm/contract";
import { createAsm, type Asm } from "@asm/core";
import { createRouter } from "@asm/routing";
import { fakeCodexConfigToml, openAIResponsesReplies, startFakeOpenAIResponses, type FakeOpenAIResponsesServer } from "@asm/testkit";
import { afterEach, beforeEach, expect, it } from "vitest";
import { claudeCliPath } from "../src/claude-env.js";
import { startClaudeHarness, type ClaudeHarness } from "../src/claude-harness.js";
import { anthropicReplies } from "../src/fake-api.js";
import { processesWithEnv, waitUntilGone } from "../src/processes.js";
import { describeRealCli, realCliGate, requireAlso } from "../src/real-cli-gate.js";
import { pinnedCodexPath } from "../src/codex-binary.js";

// Failover with the real CLIs: the router runs the prompt on the real `claude`, whose fake
// Anthropic server answers 429 with a reset time; the router marks claude unhealthy and re-runs
// the prompt on the real `codex` against the fake OpenAI Responses server, which answers.

const MARKER_VAR = "ASM_E2E_MARKER";

const claudePath = claudeCliPath();
const codexCli = pinnedCodexPath();
const gate = requireAlso(realCliGate("claude", claudePath), codexCli !== null, "the codex binary is not installed");

describeRealCli("routing failover with the real claude and codex", gate, () => {
  let claudeHarness: ClaudeHarness;
  let openai: FakeOpenAIResponsesServer;
  let codexEnv: Record<string, string>;
  let codexMarker: string;
  let asm: Asm;

  beforeEach(async () => {
    claudeHarness = await startClaudeHarness(claudePath as string);
    openai = await startFakeOpenAIResponses({ apiKey: "dummy" });
    const codexHome = join(claudeHarness.dirs.home, ".codex");
    await mkdir(codexHome, { recursive: true });
    await writeFile(join(codexHome, "config.toml"), fakeCodexConfigToml({ baseUrl: openai.baseUrl, retries: 0 }));
    codexMarker = randomUUID();
    codexEnv = {
      PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
      SHELL: "/bin/bash",
      LANG: "C.UTF-8",
      HOME: claudeHarness.dirs.home,
      CODEX_HOME: codexHome,
      TMPDIR: claudeHarness.dirs.tmpDir,
      FAKE_OPENAI_API_KEY: "dummy",
      NO_COLOR: "1",
      RUST_LOG: "warn",
      [MARKER_VAR]: codexMarker,
    };
    asm = createAsm({ providers: [claude(), codex()] });
  });

  afterEach(async () => {
    await asm.dispose();
    const codexLeft = await waitUntilGone(() => processesWithEnv(MARKER_VAR, codexMarker), 5_000);
    await openai.close();
    const leftovers = await claudeHarness.dispose();
    expect([...leftovers, ...codexLeft], "processes left behind by the test").toEqual([]);
  });

  function router(order: ["claude", "codex"] | ["codex", "claude"] = ["claude", "codex"]) {
    const options = {
      claude: { permissionMode: "bypass", cwd: claudeHarness.dirs.cwd, cliPath: claudeHarness.cliPath, env: claudeHarness.env({ maxRetries: 0 }) },
      codex: { permissionMode: "bypass", cwd: claudeHarness.dirs.cwd, cliPath: codexCli as string, env: codexEnv, skipGitRepoCheck: true, model: "gpt-5.5" },
    };
    return createRouter({ asm, strategy: "priority", candidates: order.map((provider) => ({ provider, providerOptions: options[provider] })) });
  }

  it("fails over from a rate-limited claude to codex, and keeps claude out for its cooldown", async () => {
    // A 429 with the headers a usage limit carries. Claude Code 2.1 with an API key reports the
    // failure but not the reset time, so the router falls back on its cooldown here; reset times
    // Claude does report (its rate_limit_event) are covered by the router's unit tests.
    const resetSeconds = Math.floor(Date.now() / 1000) + 600;
    claudeHarness.api.respondWith(() =>
      anthropicReplies.error(429, {
        headers: {
          "retry-after": "600",
          "anthropic-ratelimit-unified-status": "rejected",
          "anthropic-ratelimit-unified-reset": String(resetSeconds),
          "anthropic-ratelimit-unified-representative-claim": "five_hour",
        },
      }),
    );
    openai.respondWith(() => openAIResponsesReplies.text("OK from codex"));
    const routed = router();
    const stream = routed.stream("Say OK");
    const events: AsmEvent[] = [];
    for await (const event of stream) events.push(event);

    const warning = events.find((event) => event.kind === "warning" && event.payload.code === "routing.failover");
    expect(warning?.kind === "warning" && warning.payload.details).toMatchObject({ candidateId: "claude", code: "rate_limit", nextCandidateId: "codex" });
    expect(events.filter((event) => event.kind === "run_completed")).toHaveLength(1);
    expect(events.filter((event) => event.kind === "error")).toHaveLength(0);
    const result = events.find((event) => event.kind === "result");
    expect(result?.provider).toBe("codex");
    expect(result?.kind === "result" && result.payload.text).toContain("OK from codex");
    expect(stream.attempts.map((attempt) => [attempt.provider, attempt.outcome])).toEqual([
      ["claude", "failed_over"],
      ["codex", "succeeded"],
    ]);
    expect(claudeHarness.api.requests.some((request) => request.path.startsWith("/v1/messages"))).toBe(true);
    const health = routed.healthSnapshot();
    expect(health.claude).toMatchObject({ status: "unhealthy", excluded: true, lastError: { code: "rate_limit" } });
    expect(health.codex?.status).toBe("healthy");
    // The next prompt goes straight to codex: claude is still cooling down.
    expect(routed.select().id).toBe("codex");
  });
});
