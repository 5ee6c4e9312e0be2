// Hostile: distinctive secrets in the host's environment, the run's env and the CLI's own output,
// grepped for in every channel ASM writes to, and in the process table while a run is in flight.
// The CLI is the testkit's fake CLI (a real subprocess through the real core lane).
import { execFileSync } from "node:child_process";
import diagnosticsChannel from "node:diagnostics_channel";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AsmEvent, ProviderDefinition } from "@asm/contract";
import { fakeCliEnv, fakeCliPath, jsonlTestProfile } from "@asm/testkit";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createAsm, MemoryStore, TELEMETRY_CHANNELS } from "../src/index.js";
import { collect, until } from "./helpers.js";

const OWN_KEY = "hostile-anthropic-key-1f2e3d4c";
const OTHER_KEY = "hostile-openai-key-9a8b7c6d";
const MARKED = "hostile-marked-secret-5e5e5e";
const SHAPED = "sk-ant-api03-HoStIlEkEyShApEdAbCd";
const SECRETS = [OWN_KEY, OTHER_KEY, MARKED, SHAPED];

const scratch = mkdtempSync(join(tmpdir(), "asm-hostile-secrets-"));
const saved = { ANTHROPIC_API_KEY: process.env.ANTHROPIC_API_KEY, OPENAI_API_KEY: process.env.OPENAI_API_KEY };
beforeEach(() => {
  process.env.ANTHROPIC_API_KEY = OWN_KEY;
  process.env.OPENAI_API_KEY = OTHER_KEY;
});
afterEach(() => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function provider(): ProviderDefinition {
  return {
    specificationVersion: "v1",
    name: "jsonl",
    displayName: "JSONL test CLI",
    optionsSchema: z.strictObject({ promptVia: z.enum(["argv", "stdin", "file", "env-file"]).optional() }),
    permissionModes: {
      default: { nativeMode: "default", cliArgs: [], label: "Default" },
      auto: { unsupported: "test CLI" },
      bypass: { unsupported: "test CLI" },
      plan: { unsupported: "test CLI" },
    },
    features: { commonFeatures: {} },
    models: { defaultModel: null, models: [] },
    admission: { maxConcurrentRuns: 4, maxQueuedRuns: 10 },
    capabilities: ["streaming", "tools"],
    // Like Claude: it reads ANTHROPIC_API_KEY and nothing else of the known keys.
    profile: jsonlTestProfile({ credentialEnv: ["ANTHROPIC_API_KEY"] }),
  };
}

/** Every secret found in `value` (cycle-safe). */
function leaks(value: unknown): string[] {
  const seen = new WeakSet<object>();
  const text = typeof value === "string" ? value : JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item !== "object" || item === null) return item;
    if (seen.has(item)) return "[cycle]";
    seen.add(item);
    return item;
  });
  return SECRETS.filter((secret) => text.includes(secret));
}

function telemetry(): { messages: unknown[]; stop: () => void } {
  const messages: unknown[] = [];
  const listener = (message: unknown) => void messages.push(message);
  const names = Object.values(TELEMETRY_CHANNELS);
  for (const name of names) diagnosticsChannel.subscribe(name, listener);
  return { messages, stop: () => names.forEach((name) => diagnosticsChannel.unsubscribe(name, listener)) };
}

describe("hostile: secrets", { timeout: 30_000 }, () => {
  it("a CLI that prints every key it can find leaks none into events, errors, the store or telemetry", async () => {
    const transcript = join(scratch, "leaky.jsonl");
    writeFileSync(
      transcript,
      [
        JSON.stringify({ type: "text", text: `own ${OWN_KEY} shaped ${SHAPED}` }),
        `plain text ${MARKED} not json`,
        JSON.stringify({ type: "tool_use", id: "t1", name: "Bash", input: { command: `curl -H "Authorization: Bearer ${MARKED}"`, [OWN_KEY]: OTHER_KEY } }),
      ].join("\n") + "\n",
    );
    const stderrFile = join(scratch, "leaky.stderr");
    writeFileSync(stderrFile, `debug: ANTHROPIC_API_KEY=${OWN_KEY} OPENAI_API_KEY=${OTHER_KEY} marked=${MARKED}\n`);
    const store = new MemoryStore();
    const asm = createAsm({ providers: [provider()], config: { store } });
    const tap = telemetry();
    const options = {
      cliPath: fakeCliPath(),
      promptVia: "stdin" as const,
      env: { ...fakeCliEnv({ mode: "replay", transcript, stderrFile, exitCode: 2 }), MY_TOKEN: MARKED },
      secretEnv: ["MY_TOKEN"],
    };
    const session = await asm.startSession({ provider: "jsonl" });
    const events: AsmEvent[] = await collect(session.stream("leak everything", options));
    const thrown = await session.query("leak everything", options).then(
      () => null,
      (error: unknown) => error as Error & { details?: unknown },
    );
    tap.stop();
    expect(events.at(-1)?.kind).toBe("run_completed");
    expect(events.some((event) => event.kind === "stderr")).toBe(true);
    expect(leaks(events)).toEqual([]);
    expect(thrown).not.toBeNull();
    expect(leaks({ message: thrown?.message, stack: thrown?.stack, details: thrown?.details })).toEqual([]);
    expect(leaks(await store.list(session.id))).toEqual([]);
    expect(tap.messages.length).toBeGreaterThan(0);
    expect(leaks(tap.messages)).toEqual([]);
    expect(leaks(session.info())).toEqual([]);
    await asm.dispose();
  });

  it("while a run is in flight, no secret is in any process's command line, and the CLI lacks other vendors' keys", async () => {
    const asm = createAsm({ providers: [provider()] });
    const stream = asm.stream("jsonl", "inspect yourself", {
      cliPath: fakeCliPath(),
      promptVia: "stdin",
      env: { ...fakeCliEnv({ mode: "inspect", stayAlive: true, showEnv: ["ANTHROPIC_API_KEY", "OPENAI_API_KEY"], readStdin: false }), MY_TOKEN: MARKED },
      secretEnv: ["MY_TOKEN"],
    });
    const events: AsmEvent[] = [];
    const done = collect({
      async *[Symbol.asyncIterator]() {
        for await (const event of stream) {
          events.push(event);
          yield event;
        }
      },
    });
    await until(() => events.some((event) => event.kind === "assistant_delta"));
    const report = JSON.parse((events.find((event) => event.kind === "assistant_delta")?.payload as { content: string }).content) as {
      pid: number;
      env: Record<string, string | null>;
    };
    // The CLI's own key reached it (shown redacted); the other vendor's did not.
    expect(report.env).toEqual({ ANTHROPIC_API_KEY: "[REDACTED:ANTHROPIC_API_KEY]", OPENAI_API_KEY: null });
    const environ = readFileSync(`/proc/${report.pid}/environ`, "utf8");
    expect(environ).toContain(OWN_KEY);
    expect(environ).not.toContain(OTHER_KEY);

    const cmdlines = readdirSync("/proc")
      .filter((name) => /^\d+$/.test(name))
      .map((pid) => {
        try {
          return readFileSync(`/proc/${pid}/cmdline`, "utf8");
        } catch {
          return "";
        }
      });
    expect(cmdlines.length).toBeGreaterThan(1);
    expect(leaks(cmdlines.join("\n"))).toEqual([]);
    expect(leaks(execFileSync("ps", ["-eo", "pid,args", "ww"], { encoding: "utf8" }))).toEqual([]);

    // The guardian (one per host) holds no environment at all, so no key either.
    const guardian = readdirSync("/proc")
      .filter((name) => /^\d+$/.test(name))
      .find((pid) => {
        try {
          return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("ASM_RUN_TOKEN") && readFileSync(`/proc/${pid}/stat`, "utf8").includes("(node)");
        } catch {
          return false;
        }
      });
    expect(guardian).toBeDefined();
    expect(readFileSync(`/proc/${guardian}/environ`, "utf8")).toBe("");

    await asm.interrupt(stream.runId);
    await done;
    await asm.dispose();
  });
});
