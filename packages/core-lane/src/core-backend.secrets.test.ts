import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { AsmError, type BackendEvent } from "@asm/contract";
import { jsonlTestProfile } from "@asm/testkit";
import { createCoreBackend } from "./core-backend.js";
import { collect, deltas, fakeRun, onlyOutcome, testStateDir } from "./__fixtures__/harness.js";

// Distinctive values: any occurrence in what the lane emits is a leak.
const ANTHROPIC = "asm-test-anthropic-key-4d1f9b";
const OPENAI = "asm-test-openai-key-83c2e0";
const GEMINI = "asm-test-gemini-key-5a7e61";
const CUSTOM = "asm-test-custom-secret-c0ffee";
const SHAPED = "sk-ant-api03-QwErTyUiOpAsDfGhJkL";

const stateDir = testStateDir();
const saved = { ...process.env };
afterEach(() => {
  for (const key of ["ANTHROPIC_API_KEY", "OPENAI_API_KEY", "GEMINI_API_KEY"]) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
});
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

function leaks(value: unknown): string[] {
  const text = JSON.stringify(value);
  return [ANTHROPIC, OPENAI, GEMINI, CUSTOM, SHAPED].filter((secret) => text.includes(secret));
}

describe("core lane: secrets", { timeout: 30_000 }, () => {
  it("redacts the host's and the run's secrets, and key shapes, from stdout, stderr, parse errors and the exit outcome", async () => {
    process.env.ANTHROPIC_API_KEY = ANTHROPIC;
    process.env.OPENAI_API_KEY = OPENAI;
    const transcript = join(stateDir, "leaky.jsonl");
    writeFileSync(
      transcript,
      [
        JSON.stringify({ type: "text", text: `my key is ${ANTHROPIC} and ${SHAPED}` }),
        `not json, but it holds ${OPENAI}`,
        JSON.stringify({ type: "text", text: `custom ${CUSTOM}`, [CUSTOM]: true }),
      ].join("\n") + "\n",
    );
    const stderrFile = join(stateDir, "leaky.stderr");
    // The key is split across a long line so a chunked reader would see it in two pieces.
    writeFileSync(stderrFile, `${"x".repeat(70_000)} header Authorization: Bearer ${CUSTOM}\nHTTP 401 for key ${OPENAI}\n`);
    const backend = createCoreBackend(jsonlTestProfile({ classifyExit: false }), { stateDir });
    const session = await backend.start(
      fakeRun({ mode: "replay", transcript, stderrFile, exitCode: 3 }, { env: { MY_TOKEN: CUSTOM }, secretEnv: ["MY_TOKEN"] }),
    );
    const events: BackendEvent[] = await collect(session);
    expect(deltas(events).join("\n")).toContain("[REDACTED:ANTHROPIC_API_KEY]");
    expect(deltas(events).join("\n")).toContain("[REDACTED:MY_TOKEN]");
    expect(events.some((event) => event.kind === "error" && JSON.stringify(event.payload).includes("[REDACTED:OPENAI_API_KEY]"))).toBe(true);
    const outcome = onlyOutcome(events);
    expect(outcome.kind).toBe("error");
    expect(JSON.stringify(outcome.payload)).toContain("[REDACTED:OPENAI_API_KEY]");
    expect(leaks(events)).toEqual([]);
    expect(leaks(session.info())).toEqual([]);
  });

  it("redacts a secret however the line spells it: JSON escapes, \\u escapes, in raw as in the payload", async () => {
    const quoted = 'asm-test-"quoted"-secret-77';
    const transcript = join(stateDir, "escaped.jsonl");
    // The key shape spelled with a \u escape for its first letter, and a secret holding quotes
    // (escaped as \" in the line): neither appears in the line's text as it will after parsing.
    writeFileSync(
      transcript,
      `{"type":"text","text":"key \\u0073k-ant-api03-QwErTyUiOpAsDfGhJkL"}\n${JSON.stringify({ type: "text", text: "quiet", note: quoted })}\n`,
    );
    const backend = createCoreBackend(jsonlTestProfile(), { stateDir });
    const session = await backend.start(fakeRun({ mode: "replay", transcript }, { env: { QUOTED: quoted }, secretEnv: ["QUOTED"] }));
    const events = await collect(session);
    const text = JSON.stringify(events);
    expect(text).not.toContain("sk-ant-api03-QwErTyUiOpAsDfGhJkL");
    expect(text).not.toContain(quoted);
    expect(text).toContain("[REDACTED:QUOTED]");
  });

  it("redacts the secrets the host hands over, and says its events need no second pass", async () => {
    const transcript = join(stateDir, "host-secret.jsonl");
    writeFileSync(transcript, `${JSON.stringify({ type: "text", text: `the host's token ${CUSTOM}` })}\n`);
    const backend = createCoreBackend(jsonlTestProfile(), { stateDir });
    const session = await backend.start(
      fakeRun({ mode: "replay", transcript }, {}, { redactSecrets: [{ value: CUSTOM, name: "HOST_TOKEN" }] }),
    );
    const events = await collect(session);
    expect(deltas(events).join("\n")).toContain("[REDACTED:HOST_TOKEN]");
    expect(leaks(events)).toEqual([]);
    expect(session.info().redactsEvents).toBe(true);
  });

  it("redacts secrets from errors thrown at start", async () => {
    const backend = createCoreBackend(jsonlTestProfile(), { stateDir });
    const error = await backend
      .start(fakeRun({ mode: "hang" }, { cwd: `/nonexistent/${CUSTOM}`, env: { MY_TOKEN: CUSTOM }, secretEnv: ["MY_TOKEN"] }))
      .then(
        () => null,
        (caught: unknown) => caught,
      );
    expect(AsmError.isInstance(error)).toBe(true);
    expect((error as AsmError).code).toBe("config_invalid");
    expect(leaks({ message: (error as AsmError).message, details: (error as AsmError).details })).toEqual([]);
  });

  it("hands a CLI only its own vendor's credentials from the host, and whatever the caller passes", async () => {
    process.env.ANTHROPIC_API_KEY = ANTHROPIC;
    process.env.OPENAI_API_KEY = OPENAI;
    process.env.GEMINI_API_KEY = GEMINI;
    const showEnv = ["ANTHROPIC_API_KEY", "OPENAI_API_KEY", "GEMINI_API_KEY", "PATH"];
    const reportOf = async (credentialEnv: string[] | undefined, env: Record<string, string> = {}) => {
      const backend = createCoreBackend(jsonlTestProfile(credentialEnv === undefined ? {} : { credentialEnv }), { stateDir });
      const events = await collect(await backend.start(fakeRun({ mode: "inspect", showEnv }, { env })));
      // The report is redacted on its way out: which variable the CLI saw shows in the marker.
      return JSON.parse(deltas(events)[0] ?? "{}") as { env: Record<string, string | null> };
    };
    const claudeLike = await reportOf(["ANTHROPIC_API_KEY"]);
    expect(claudeLike.env).toMatchObject({ ANTHROPIC_API_KEY: "[REDACTED:ANTHROPIC_API_KEY]", OPENAI_API_KEY: null, GEMINI_API_KEY: null });
    expect(claudeLike.env.PATH).toBe(process.env.PATH);
    const undeclared = await reportOf(undefined);
    expect(undeclared.env).toMatchObject({ ANTHROPIC_API_KEY: null, OPENAI_API_KEY: null, GEMINI_API_KEY: null });
    const explicit = await reportOf(["ANTHROPIC_API_KEY"], { GEMINI_API_KEY: GEMINI });
    expect(explicit.env).toMatchObject({ ANTHROPIC_API_KEY: "[REDACTED:ANTHROPIC_API_KEY]", OPENAI_API_KEY: null, GEMINI_API_KEY: "[REDACTED:GEMINI_API_KEY]" });
  });
});
