import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { codexAppServerThreadParams, type CodexAsmOptions } from "@asm/sdk-codex";
import { fakeCodexConfigToml, openAIResponsesReplies as replies, startFakeOpenAIResponses, type FakeOpenAIResponsesServer } from "@asm/testkit";
import { afterEach, beforeEach, expect, it } from "vitest";
import { processesWithEnv, waitUntilGone } from "../src/processes.js";
import { describeRealCli, realCliGate } from "../src/real-cli-gate.js";
import { createThrowawayDirs, type ThrowawayDirs } from "../src/throwaway-dirs.js";
import { pinnedCodexPath } from "../src/codex-binary.js";

// codexAppServerThreadParams sent as the `thread/start` request of the real `codex app-server`
// (@openai/codex 0.171.0), spoken to over JSON-RPC stdio by this test, against the fake OpenAI
// Responses server: the model, reasoning effort and permission posture must be what Codex acts on.

const MARKER_VAR = "ASM_E2E_MARKER";

interface RpcMessage {
  id?: number | string;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message?: string };
}

/** A bare JSON-RPC client of one `codex app-server` process: requests, and every message it sent. */
class AppServerClient {
  readonly messages: RpcMessage[] = [];
  private nextId = 1;
  private readonly waiting = new Map<number | string, (message: RpcMessage) => void>();
  private readonly listeners: Array<(message: RpcMessage) => void> = [];

  constructor(readonly child: ChildProcessWithoutNullStreams) {
    createInterface({ input: child.stdout }).on("line", (line) => {
      let message: RpcMessage;
      try {
        message = JSON.parse(line) as RpcMessage;
      } catch (_error) {
        return;
      }
      this.messages.push(message);
      if (message.method === undefined && message.id !== undefined) this.waiting.get(message.id)?.(message);
      for (const listener of this.listeners) listener(message);
    });
  }

  request(method: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, (message) => (message.error ? reject(new Error(message.error.message ?? method)) : resolve(message.result ?? {})));
      this.send({ id, method, params });
    });
  }

  send(message: Record<string, unknown>): void {
    this.child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", ...message })}\n`);
  }

  /** Calls `onMessage` for every later message until it returns true. */
  until(onMessage: (message: RpcMessage) => boolean): Promise<void> {
    return new Promise((resolve) => {
      const listener = (message: RpcMessage) => {
        if (!onMessage(message)) return;
        this.listeners.splice(this.listeners.indexOf(listener), 1);
        resolve();
      };
      this.listeners.push(listener);
    });
  }
}

const cliPath = pinnedCodexPath();
const gate = realCliGate("codex", cliPath);

describeRealCli("codexAppServerThreadParams in the real codex app-server", gate, () => {
  let api: FakeOpenAIResponsesServer;
  let dirs: ThrowawayDirs;
  let marker: string;
  let client: AppServerClient;

  beforeEach(async () => {
    api = await startFakeOpenAIResponses({ apiKey: "dummy" });
    dirs = await createThrowawayDirs("asm-e2e-codex-bridge-");
    const codexHome = join(dirs.home, ".codex");
    await mkdir(codexHome, { recursive: true });
    // The configured model differs from the one the bridge sets, so the request shows which won.
    await writeFile(join(codexHome, "config.toml"), fakeCodexConfigToml({ baseUrl: api.baseUrl, retries: 0, model: "gpt-5.4" }));
    marker = randomUUID();
    const env = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      SHELL: "/bin/bash",
      HOME: dirs.home,
      CODEX_HOME: codexHome,
      TMPDIR: dirs.tmpDir,
      FAKE_OPENAI_API_KEY: "dummy",
      RUST_LOG: "warn",
      [MARKER_VAR]: marker,
    };
    client = new AppServerClient(spawn(cliPath as string, ["app-server"], { cwd: dirs.cwd, env, stdio: ["pipe", "pipe", "pipe"] }));
    await client.request("initialize", { clientInfo: { name: "asm-e2e", version: "0.0.0" } });
    client.send({ method: "initialized" });
  });

  afterEach(async () => {
    client.child.stdin.end();
    client.child.kill("SIGTERM");
    const left = await waitUntilGone(() => processesWithEnv(MARKER_VAR, marker), 10_000);
    await api.close();
    await dirs.cleanup();
    expect(left, "processes left behind").toEqual([]);
  });

  /** Starts a thread with the bridge's parameters and runs one turn, answering approvals with `decision`. */
  async function runTurn(asmOptions: CodexAsmOptions, prompt: string, decision: "accept" | "decline" = "decline"): Promise<{ approvals: RpcMessage[]; completed: RpcMessage }> {
    const started = await client.request("thread/start", codexAppServerThreadParams({ cwd: dirs.cwd, ...asmOptions }));
    const threadId = (started["thread"] as { id: string }).id;
    const approvals: RpcMessage[] = [];
    let completed: RpcMessage | undefined;
    const done = client.until((message) => {
      if (message.method?.endsWith("/requestApproval") === true && message.id !== undefined) {
        approvals.push(message);
        client.send({ id: message.id, result: { decision } });
      }
      if (message.method === "turn/completed") completed = message;
      return completed !== undefined;
    });
    await client.request("turn/start", { threadId, input: [{ type: "text", text: prompt }] });
    await done;
    return { approvals, completed: completed as RpcMessage };
  }

  it("sends the mapped model and reasoning effort to the model API", async () => {
    api.respondWith(() => replies.text("OK"));
    const { completed } = await runTurn({ model: "gpt-5.5", reasoningEffort: "low" }, "Say OK");
    expect((completed.params?.["turn"] as { status?: string }).status).toBe("completed");
    expect(api.turns[0]?.body.model).toBe("gpt-5.5");
    expect(api.turns[0]?.body.reasoning?.effort).toBe("low");
  }, 90_000);

  it("asks before an untrusted command in the default mode; a declined command does not run", async () => {
    api.respondWith(replies.shellThenText("touch asked.txt", (outputs) => `output: ${outputs[0]?.output ?? ""}`));
    const { approvals } = await runTurn({ permissionMode: "default" }, "Make the file", "decline");
    expect(approvals.length).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(approvals[0]?.params)).toContain("touch asked.txt");
    expect(existsSync(join(dirs.cwd, "asked.txt"))).toBe(false);
  }, 90_000);

  it("runs the command without asking in bypass mode", async () => {
    api.respondWith(replies.shellThenText("touch bypassed.txt", "done"));
    const { approvals } = await runTurn({ permissionMode: "bypass" }, "Make the file");
    expect(approvals).toEqual([]);
    expect(existsSync(join(dirs.cwd, "bypassed.txt"))).toBe(true);
  }, 90_000);
});
