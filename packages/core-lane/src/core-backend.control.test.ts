import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { isAsmError, type BackendEvent } from "@asm/contract";
import { fakeCliPath, jsonlTestProfile } from "@asm/testkit";
import { createCoreBackend } from "./core-backend.js";
import { RUN_TOKEN_ENV } from "./group-registry.js";
import { clearCliVersionCache } from "./version-check.js";
import {
  collect,
  deltas,
  drain,
  fakeRun,
  livePidsOfGroup,
  nextMatching,
  onlyOutcome,
  runPid,
  testStateDir,
} from "./__fixtures__/harness.js";

const stateDir = testStateDir();
const scratch = mkdtempSync(join(tmpdir(), "asm-core-lane-control-"));
afterAll(() => {
  rmSync(stateDir, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

const plain = createCoreBackend(jsonlTestProfile(), { stateDir });
const controlled = createCoreBackend(jsonlTestProfile({ control: true }), { stateDir });
const signalled = createCoreBackend(jsonlTestProfile({ control: { interruptVia: "signal" } }), { stateDir });

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  return expect.unreachable("expected a rejection");
}

const isDelta = (text: string) => (event: BackendEvent) => event.kind === "assistant_delta" && event.payload.content === text;

interface InspectReport {
  argv: string[];
  cwd: string;
  env: Record<string, string | null>;
  files: Record<string, string>;
  stdin: string | null;
  pid: number;
}

function inspectReport(events: readonly BackendEvent[]): InspectReport {
  const text = deltas(events).find((content) => content.startsWith("{"));
  return JSON.parse(text ?? "null") as InspectReport;
}

describe("interrupts", { timeout: 30_000 }, () => {
  it("without a control protocol: SIGINT to the group, reported as user_cancelled", async () => {
    const session = await plain.start(fakeRun({ mode: "hang", textFirst: "working" }));
    const iterator = session.events()[Symbol.asyncIterator]();
    const seen: BackendEvent[] = [];
    await nextMatching(iterator, seen, isDelta("working"));
    await session.interrupt();
    await drain(iterator, seen);
    expect(onlyOutcome(seen).payload).toMatchObject({ code: "user_cancelled", details: { signal: "SIGINT" } });
    expect(livePidsOfGroup(runPid(session))).toEqual([]);
  });

  it("with a control protocol: the interrupt line, answered by the CLI's own outcome", async () => {
    const session = await controlled.start(fakeRun({ mode: "stdin-echo" }));
    const iterator = session.events()[Symbol.asyncIterator]();
    const seen: BackendEvent[] = [];
    await nextMatching(iterator, seen, isDelta("ready"));
    await session.interrupt();
    await drain(iterator, seen);
    expect(onlyOutcome(seen).payload).toMatchObject({ code: "user_cancelled", message: "interrupted" });
    expect(livePidsOfGroup(runPid(session))).toEqual([]);
  });

  it("a control protocol without an interrupt line falls back to SIGINT", async () => {
    const session = await signalled.start(fakeRun({ mode: "stdin-echo" }));
    const iterator = session.events()[Symbol.asyncIterator]();
    const seen: BackendEvent[] = [];
    await nextMatching(iterator, seen, isDelta("ready"));
    await session.interrupt();
    await drain(iterator, seen);
    expect(onlyOutcome(seen).payload).toMatchObject({ code: "user_cancelled", message: "interrupted by SIGINT" });
  });
});

describe("close", { timeout: 30_000 }, () => {
  it("before the outcome reports user_cancelled and kills the group; it is idempotent", async () => {
    const session = await plain.start(fakeRun({ mode: "hang" }));
    const pid = runPid(session);
    const events = collect(session);
    await Promise.all([session.close(), session.close()]);
    await session.close();
    expect(onlyOutcome(await events).payload).toMatchObject({ code: "user_cancelled" });
    expect(livePidsOfGroup(pid)).toEqual([]);
  });
});

describe("approvals and input", { timeout: 30_000 }, () => {
  it("answers a pending approval through the control protocol", async () => {
    const session = await controlled.start(fakeRun({ mode: "stdin-echo", approvalId: "ap-1" }));
    const iterator = session.events()[Symbol.asyncIterator]();
    const seen: BackendEvent[] = [];
    const request = await nextMatching(iterator, seen, (event) => event.kind === "approval_requested");
    expect(request.payload).toMatchObject({ approvalId: "ap-1", subject: "Bash", details: { id: "ap-1", input: { command: "echo hi" } } });
    const unknown = await rejection(session.respondToApproval("ap-2", "allow"));
    expect(isAsmError(unknown) && unknown.code).toBe("not_found");
    await session.respondToApproval("ap-1", "deny", "not now");
    await drain(iterator, seen);
    expect(onlyOutcome(seen).payload).toMatchObject({ text: "approval ap-1: deny" });
    const again = await rejection(session.respondToApproval("ap-1", "allow"));
    expect(isAsmError(again) && again.code).toBe("not_found");
  });

  it("the idle watchdog waits while an approval is pending", async () => {
    const session = await controlled.start(fakeRun({ mode: "stdin-echo", approvalId: "ap-9" }, { idleTimeoutMs: 2_000 }));
    const iterator = session.events()[Symbol.asyncIterator]();
    const seen: BackendEvent[] = [];
    await nextMatching(iterator, seen, (event) => event.kind === "approval_requested");
    // Longer than the idle timeout: the CLI is silent because it waits for the answer.
    await new Promise((resolve) => setTimeout(resolve, 2_300));
    await session.respondToApproval("ap-9", "allow");
    await drain(iterator, seen);
    expect(onlyOutcome(seen).payload).toMatchObject({ text: "approval ap-9: allow" });
  });

  it("refuses approvals without a control protocol", async () => {
    const session = await plain.start(fakeRun({ mode: "stdin-echo", approvalId: "ap-1" }, {}, { providerOptions: { keepStdinOpen: true } }));
    const iterator = session.events()[Symbol.asyncIterator]();
    const seen: BackendEvent[] = [];
    await nextMatching(iterator, seen, (event) => event.kind === "approval_requested");
    const error = await rejection(session.respondToApproval("ap-1", "allow"));
    expect(isAsmError(error) && error.code).toBe("unsupported");
    await session.close();
    await drain(iterator, seen);
  });

  it("sends follow-up messages as control lines, and the parser's automatic replies", async () => {
    const session = await controlled.start(fakeRun({ mode: "stdin-echo" }));
    const iterator = session.events()[Symbol.asyncIterator]();
    const seen: BackendEvent[] = [];
    await nextMatching(iterator, seen, isDelta("ready"));
    await session.sendInput("hello");
    await nextMatching(iterator, seen, isDelta("echo: hello"));
    await session.sendInput("finish");
    await drain(iterator, seen);
    expect(deltas(seen)).toEqual(["ready", "echo: hello", "echo: finish"]);
    expect(onlyOutcome(seen).payload).toMatchObject({ text: "finished" });
    const late = await rejection(session.sendInput("too late"));
    expect(isAsmError(late) && late.code).toBe("transport_error");
  });

  it("sends raw lines without a control protocol, and endInput closes stdin", async () => {
    const session = await plain.start(fakeRun({ mode: "stdin-echo" }, {}, { providerOptions: { keepStdinOpen: true } }));
    const iterator = session.events()[Symbol.asyncIterator]();
    const seen: BackendEvent[] = [];
    await nextMatching(iterator, seen, isDelta("ready"));
    await session.sendInput("plain text");
    await nextMatching(iterator, seen, isDelta("echo: plain text"));
    await session.endInput();
    await drain(iterator, seen);
    expect(onlyOutcome(seen)).toMatchObject({ kind: "result", metadata: { synthetic: true } });
  });
});

describe("invocation", { timeout: 30_000 }, () => {
  it("passes the profile's arguments and the prompt on argv, the environment and the run token", async () => {
    const session = await plain.start(
      fakeRun(
        { mode: "inspect", showEnv: ["MY_VAR", RUN_TOKEN_ENV, "HOME"] },
        { env: { MY_VAR: "hello", HOME: undefined }, cwd: scratch },
        { providerOptions: { args: ["--extra", "1"] } },
      ),
    );
    const events = await collect(session);
    const report = inspectReport(events);
    expect(report.argv).toEqual(["--extra", "1", "--prompt", "Say OK"]);
    expect(report.cwd).toBe(scratch);
    expect(report.env.MY_VAR).toBe("hello");
    expect(report.env.HOME).toBeNull();
    expect(report.env[RUN_TOKEN_ENV]).toMatch(/^[0-9a-f]{32}$/);
    // The lane emits no run_started of its own: the kernel builds its one from info().
    expect(events.some((event) => event.kind === "run_started")).toBe(false);
    expect(session.info().session).toMatchObject({ args: ["--extra", "1", "--prompt", "<prompt>"], cwd: scratch });
  });

  it("adds nothing to the profile's arguments: extraArgs in the backend options are refused", async () => {
    const error = await rejection(plain.start(fakeRun({ mode: "inspect" }, { extraArgs: ["--extra"] } as never)));
    expect(error).toMatchObject({ code: "config_invalid", message: expect.stringContaining("extraArgs") });
  });

  it("writes a prompt to stdin when the profile says so", async () => {
    const prompt = "line one\nline two ✓";
    const session = await plain.start(fakeRun({ mode: "inspect", readStdin: true }, {}, { prompt, providerOptions: { promptVia: "stdin" } }));
    const report = inspectReport(await collect(session));
    expect(report.stdin).toBe(prompt);
    expect(report.argv).toEqual(["--prompt-stdin"]);
  });

  it("puts a long prompt in a private file and removes it when the run ends", async () => {
    const prompt = `${"long prompt ".repeat(100)}end`;
    const session = await plain.start(fakeRun({ mode: "inspect", stayAlive: true }, { maxArgvPromptBytes: 100 }, { prompt }));
    const iterator = session.events()[Symbol.asyncIterator]();
    const seen: BackendEvent[] = [];
    const reportEvent = await nextMatching(iterator, seen, (event) => event.kind === "assistant_delta");
    const report = JSON.parse((reportEvent.payload as { content: string }).content) as InspectReport;
    const file = report.argv[1] as string;
    expect(report.argv[0]).toBe("--prompt-file");
    expect(report.files[file]).toBe(prompt);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(file)).mode & 0o777).toBe(0o700);
    expect(session.info().session.args).toEqual(["--prompt-file", file]);
    await session.close();
    await drain(iterator, seen);
    expect(existsSync(file)).toBe(false);
    expect(existsSync(dirname(file))).toBe(false);
  });

  it("substitutes file paths in the invocation's environment too", async () => {
    const session = await plain.start(fakeRun({ mode: "inspect", showEnv: ["ASM_TEST_PROMPT_FILE"] }, {}, { prompt: "via env", providerOptions: { promptVia: "env-file" } }));
    const report = inspectReport(await collect(session));
    const path = report.env.ASM_TEST_PROMPT_FILE as string;
    expect(report.argv).toEqual(["--prompt-env"]);
    expect(report.files[path]).toBe("via env");
    expect(existsSync(path)).toBe(false);
  });

  it("removes the files of a run that crashed", async () => {
    const session = await plain.start(fakeRun({ mode: "crash", lines: 0 }, {}, { prompt: "x", providerOptions: { promptVia: "file" } }));
    const file = session.info().session.args as string[];
    await collect(session);
    expect(file[0]).toBe("--prompt-file");
    expect(existsSync(file[1] as string)).toBe(false);
  });

  it("describes itself", async () => {
    const session = await controlled.start(fakeRun({ mode: "hang" }, {}, { prompt: "secret prompt text" }));
    const info = session.info();
    expect(info).toMatchObject({
      provider: "fake",
      lane: "core",
      backend: "core:fake",
      runtime: "subprocess",
      capabilities: ["streaming", "tools", "approval", "interrupt"],
      session: { pid: expect.any(Number), pgid: info.session.pid, command: fakeCliPath(), args: ["--prompt", "<prompt>"], cwd: process.cwd() },
    });
    expect(JSON.stringify(info)).not.toContain("secret prompt text");
    await session.close();
  });

  it("iterates events once", async () => {
    const session = await plain.start(fakeRun({ mode: "garbage" }));
    await collect(session);
    const error = await rejection(collect(session));
    expect(isAsmError(error) && error.code).toBe("runtime");
  });
});

describe("start failures", { timeout: 30_000 }, () => {
  it("a missing CLI is cli_not_found with the install hint", async () => {
    const error = await rejection(plain.start(fakeRun({ mode: "hang" }, { cliPath: join(scratch, "missing-cli") })));
    expect(isAsmError(error) && error.code).toBe("cli_not_found");
    const viaPath = await rejection(
      plain.start(fakeRun({ mode: "hang" }, { cliPath: undefined, env: { PATH: scratch, ASM_FAKE_CLI_PATH: undefined } })),
    );
    expect(isAsmError(viaPath) && viaPath.code).toBe("cli_not_found");
    expect((viaPath as Error).message).toContain("fakeCliPath()");
    expect((viaPath as Error).message).toContain(join(scratch, "asm-fake-cli"));
  });

  it("a missing working directory is config_invalid", async () => {
    const error = await rejection(plain.start(fakeRun({ mode: "hang" }, { cwd: join(scratch, "nope") })));
    expect(isAsmError(error) && error.code).toBe("config_invalid");
  });

  it("invalid run options are config_invalid", async () => {
    const config = fakeRun({ mode: "hang" });
    const error = await rejection(plain.start({ ...config, backendOptions: { ...config.backendOptions, idleTimeout: 5 } }));
    expect(isAsmError(error) && error.code).toBe("config_invalid");
  });

  it("a surface without a driver is unsupported", async () => {
    const config = fakeRun({ mode: "hang" });
    const error = await rejection(
      plain.start({ ...config, execution: { ...config.execution, executionSurface: { kind: "guest_bridge", transportOptions: {}, observability: {} } } }),
    );
    expect(isAsmError(error) && error.code).toBe("unsupported");
  });

  it("an aborted signal cancels the start", async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await rejection(plain.start(fakeRun({ mode: "hang" }, {}, { signal: controller.signal })));
    expect(isAsmError(error) && error.code).toBe("user_cancelled");
  });

  it("aborting the signal after start closes the run", async () => {
    const controller = new AbortController();
    const session = await plain.start(fakeRun({ mode: "hang" }, {}, { signal: controller.signal }));
    const events = collect(session);
    controller.abort();
    expect(onlyOutcome(await events).payload).toMatchObject({ code: "user_cancelled" });
    expect(livePidsOfGroup(runPid(session))).toEqual([]);
  });
});

describe("version check", { timeout: 30_000 }, () => {
  beforeEach(() => clearCliVersionCache());

  it("warns once per run when the version is outside the supported range, checking once per binary", async () => {
    const log = join(scratch, "version.log");
    for (let index = 0; index < 2; index += 1) {
      const session = await plain.start(fakeRun({ mode: "garbage", version: "3.1.0", versionLog: log }, { checkVersion: true }));
      const events = await collect(session);
      expect(session.info().session.cliVersion).toBe("3.1.0");
      const warnings = events.filter((event) => event.kind === "warning");
      expect(warnings.map((event) => event.payload)).toEqual([
        expect.objectContaining({ code: "version_unsupported", details: expect.objectContaining({ version: "3.1.0", supportedVersions: ">=1.0.0 <2.0.0" }) }),
      ]);
    }
    expect(readFileSync(log, "utf8")).toBe("version\n");
  });

  it("stays quiet for a supported version", async () => {
    const session = await plain.start(fakeRun({ mode: "garbage", version: "1.4.0" }, { checkVersion: true }));
    const events = await collect(session);
    expect(events.filter((event) => event.kind === "warning")).toEqual([]);
    expect(session.info().session.cliVersion).toBe("1.4.0");
  });
});
