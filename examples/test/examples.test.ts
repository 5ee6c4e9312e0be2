import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { describePermission, matchesSentinel, parseExampleArgs, preflight, type ExampleMeta } from "../src/common.js";
import { createAsm } from "@asm/core";
import { loadProviders } from "@asm/cli";
import { EXAMPLES, planRunAll } from "../src/run-all.js";
import { claudeBinary, isolation } from "./live-gate.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const node = (script: string, args: string[], env: Record<string, string | undefined> = process.env) =>
  spawnSync(process.execPath, ["--conditions=@asm/source", "--import", "tsx", join(ROOT, script), ...args], { cwd: ROOT, encoding: "utf8", env, timeout: 60_000 });

const meta: ExampleMeta = { name: "live-query", summary: "test", sentinel: "LIVE_QUERY_OK" };
const quiet = () => undefined;

describe("examples without --provider", () => {
  it.each([...EXAMPLES.map((name) => `src/${name}.ts`), "src/run-all.ts"])("%s prints its usage and exits 0", (script) => {
    const run = node(script, []);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/usage: pnpm --filter @asm\/examples /);
    expect(run.stdout).toContain("--provider");
  });
});

describe("parseExampleArgs", () => {
  it("defaults the permission mode to bypass and prints the native term and flag", () => {
    const config = parseExampleArgs(["--provider", "claude"], {}, meta, quiet)!;
    expect(config.permission).toEqual({ mode: "bypass", source: "default" });
    expect(config.options).toMatchObject({ lane: "core", permissionMode: "bypass" });
    expect(config.prompt).toBe("Reply with exactly: LIVE_QUERY_OK");
    const asm = createAsm({ providers: loadProviders() });
    expect(describePermission(asm, config)).toBe("permission: bypass (default) → claude bypassPermissions (--permission-mode bypassPermissions)");
  });

  it("applies flag > --danger-full-access > ASM_PERMISSION_MODE > default", () => {
    expect(parseExampleArgs(["--provider", "gemini"], { ASM_PERMISSION_MODE: "auto" }, meta, quiet)!.permission).toEqual({ mode: "auto", source: "env" });
    expect(parseExampleArgs(["--provider", "gemini", "--danger-full-access"], { ASM_PERMISSION_MODE: "auto" }, meta, quiet)!.permission).toEqual({
      mode: "bypass",
      source: "danger-full-access",
    });
    expect(parseExampleArgs(["--provider", "gemini", "--permission-mode", "plan"], {}, meta, quiet)!.permission).toEqual({ mode: "plan", source: "flag" });
    expect(() => parseExampleArgs(["--provider", "gemini", "--permission-mode", "plan", "--danger-full-access"], {}, meta, quiet)).toThrow(/conflicts/);
    const asm = createAsm({ providers: loadProviders() });
    const codex = parseExampleArgs(["--provider", "codex", "--permission-mode", "default"], {}, meta, quiet)!;
    expect(describePermission(asm, codex)).toBe("permission: default (flag) → codex default (no flag, the CLI's default)");
  });

  it("skips the sentinel check for Ollama, custom prompts and unvalidated Codex models", () => {
    expect(parseExampleArgs(["--provider", "claude", "--ollama"], {}, meta, quiet)!.checkSentinel).toBe(false);
    expect(parseExampleArgs(["--provider", "claude", "--prompt", "hi"], {}, meta, quiet)!.checkSentinel).toBe(false);
    expect(parseExampleArgs(["--provider", "codex", "--model", "my-finetune"], {}, meta, quiet)!.checkSentinel).toBe(false);
    expect(parseExampleArgs(["--provider", "codex"], {}, meta, quiet)!.checkSentinel).toBe(true);
  });

  it("builds the ssh surface and skips the local preflight for it", () => {
    const config = parseExampleArgs(["--provider", "claude", "--ssh-host", "me@box"], {}, meta, quiet)!;
    expect(config.options.executionSurface).toMatchObject({ kind: "ssh_exec", transportOptions: { destination: "box", user: "me", batchMode: true, connectTimeoutSeconds: 10 } });
    expect(preflight(config, { PATH: "/nonexistent" })).toBeNull();
  });

  it("reports a missing CLI with its install hint", () => {
    const config = parseExampleArgs(["--provider", "gemini"], {}, meta, quiet)!;
    const message = preflight(config, { PATH: "/nonexistent", HOME: "/nonexistent" });
    expect(message).toMatch(/^gemini CLI not found: /);
    expect(message).toContain("install: npm install -g @google/gemini-cli");
  });

  it("matches the sentinel exactly", () => {
    expect(matchesSentinel("LIVE_QUERY_OK", "LIVE_QUERY_OK")).toBe(true);
    expect(matchesSentinel(" LIVE_QUERY_OK.\n", "LIVE_QUERY_OK")).toBe(true);
    expect(matchesSentinel("Sure! LIVE_QUERY_OK", "LIVE_QUERY_OK")).toBe(false);
    expect(matchesSentinel("live_query_ok", "LIVE_QUERY_OK")).toBe(false);
  });
});

describe("run-all", () => {
  it("takes providers from repeated flags and comma lists and forwards the rest", () => {
    expect(planRunAll(["--provider", "claude,codex", "--provider", "claude", "--model", "m", "--danger-full-access"])).toEqual({
      providers: ["claude", "codex"],
      forwarded: ["--model", "m", "--danger-full-access"],
    });
    expect(planRunAll([])).toBeNull();
    // `pnpm run-all -- --provider …` passes the separator through.
    expect(planRunAll(["--", "--provider", "amp"])).toEqual({ providers: ["amp"], forwarded: [] });
    expect(parseExampleArgs(["--", "--provider", "amp"], {}, meta, quiet)!.provider.name).toBe("amp");
  });

  it("refuses the Ollama flags for Gemini and Amp", () => {
    expect(() => planRunAll(["--provider", "claude,gemini", "--ollama"])).toThrow(/claude and codex only; remove gemini/);
    expect(() => planRunAll(["--provider", "amp", "--ollama-model", "llama3"])).toThrow(/remove amp/);
    expect(planRunAll(["--provider", "codex", "--ollama"])?.forwarded).toEqual(["--ollama"]);
  });

  it("exits 2 on the refusal and fails when an example fails", () => {
    const refused = node("src/run-all.ts", ["--provider", "gemini", "--ollama"]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain("claude and codex only");
    const missing = node("src/run-all.ts", ["--provider", "gemini", "--cli-path", "/nonexistent/gemini"]);
    expect(missing.status).toBe(1);
    expect(missing.stdout).toMatch(/FAIL gemini\s+live-query \(exit 4\)/);
  });
});

const binary = claudeBinary();
const unshare = isolation();
const liveReason = binary === null ? "the claude binary is not installed" : unshare === null ? "no loopback-only network namespace can be created" : null;

describe("examples with the real claude CLI", () => {
  if (liveReason !== null) {
    // Must not pass silently: fail under CI, report the skip elsewhere.
    if (process.env.CI === "true") it("can run the real claude CLI", () => expect.fail(liveReason));
    else it.skipIf(true)(`skipped: ${liveReason}`, () => undefined);
    return;
  }
  it.each(EXAMPLES)("%s passes its sentinel check", (example) => {
    const run = spawnSync(
      "unshare",
      [...unshare!, "--", "sh", "-c", 'ip link set lo up && exec "$@"', "sh", process.execPath, "--conditions=@asm/source", "--import", "tsx", join(ROOT, "test", "live-driver.ts"), example, binary!],
      { cwd: ROOT, encoding: "utf8", timeout: 120_000 },
    );
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toContain("permission: bypass (default) → claude bypassPermissions (--permission-mode bypassPermissions)");
    expect(run.stdout).toMatch(/LIVE_[A-Z_]+_OK ✔/);
  });
});
