// `asm run --publish` and `asm watch --subscribe` over a real bus: the test kit's Phoenix
// Channels server (driven by the real phoenix client inside asm) and a private nats-server.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeCliEnv, fakeCliPath, natsServerInstalled, startPhoenixServer, startPrivateNatsServer } from "@asm/testkit";
import { captureIo } from "../__fixtures__/capture-io.js";
import { main } from "../main.js";

const HERE = dirname(fileURLToPath(import.meta.url));
const DEMO_TRANSCRIPT = join(HERE, "..", "..", "transcripts", "demo-claude.jsonl");

afterEach(() => {
  vi.unstubAllEnvs();
});

function replayDemo(): void {
  for (const [key, value] of Object.entries(fakeCliEnv({ version: "2.1.329", mode: "replay", transcript: DEMO_TRANSCRIPT }))) vi.stubEnv(key, value);
}

/** Starts `asm watch` and resolves once it says it is watching; `done` resolves with its result. */
async function startWatch(argv: string[], env: Record<string, string> = {}) {
  const io = captureIo(env);
  const interrupts: (() => void)[] = [];
  io.onInterrupt = (handler) => {
    interrupts.push(handler);
    return () => undefined;
  };
  const done = main(["watch", ...argv], io).then((code) => ({ code, out: io.out(), err: io.err() }));
  const deadline = Date.now() + 10_000;
  while (!io.err().includes("asm: watching")) {
    if (Date.now() > deadline) throw new Error(`asm watch did not start: ${io.err()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  // Wrapped: an async function returning the promise itself would wait for the watch to end.
  return { done, interrupt: () => interrupts.forEach((handler) => handler()) };
}

async function run(argv: string[], env: Record<string, string> = {}) {
  const io = captureIo(env);
  const code = await main(["run", "Run echo in the shell", "--provider", "claude", "--cli-path", fakeCliPath(), ...argv], io);
  return { code, out: io.out(), err: io.err() };
}

describe("asm run --publish / asm watch --subscribe", () => {
  it("phoenix: watch --json prints exactly what run --json prints, same ids; the token travels from the environment", async () => {
    const server = await startPhoenixServer({ connect: (info) => info.token === "bus-token" });
    try {
      const url = `phoenix:${server.url}?topic_prefix=team`;
      replayDemo();
      const watching = await startWatch(["--subscribe", url, "--json", "--once"], { ASM_PUBSUB_TOKEN: "bus-token" });
      const ran = await run(["--json", "--publish", url], { ASM_PUBSUB_TOKEN: "bus-token" });
      const watched = await watching.done;
      expect(ran.code).toBe(0);
      expect(watched.code).toBe(0);
      expect(ran.out.split("\n").length).toBeGreaterThan(5);
      expect(watched.out).toBe(ran.out);
      expect(ran.err).not.toContain("lost");
      // Topics carry the prefix from the URL; the token never shows up in a URL or a frame.
      expect(server.frames.some((f) => f.frame.topic === "team:events")).toBe(true);
      expect(server.upgrades.every((u) => !JSON.stringify(u.info.params).includes("bus-token"))).toBe(true);
    } finally {
      await server.stop();
    }
  });

  it("phoenix: watch renders a session like asm run, and --session filters", async () => {
    const server = await startPhoenixServer();
    try {
      const url = `phoenix:${server.url}`;
      replayDemo();
      const other = await startWatch(["--subscribe", url, "--session", "not-this-one"]);
      const watching = await startWatch(["--subscribe", url, "--once"]);
      const ran = await run(["--publish", url]);
      const watched = await watching.done;
      expect(ran.code).toBe(0);
      expect(watched.out).toContain('t+Bash {"command":"echo hello from a real tool call","description":"Print a greeting"}\n');
      expect(watched.out).toMatch(/r-:end tk:\d+\/\d+ \$0\.\d+ turns:2\n/);
      // The other watcher saw nothing of this session; Ctrl-C ends it cleanly.
      other.interrupt();
      const otherResult = await other.done;
      expect(otherResult.code).toBe(0);
      expect(otherResult.out).toBe("");
    } finally {
      await server.stop();
    }
  });

  it.runIf(natsServerInstalled() || process.env.CI === "true")("nats: watch --json follows the run over a private nats-server", async () => {
    const nats = await startPrivateNatsServer();
    try {
      replayDemo();
      const watching = await startWatch(["--subscribe", nats.url, "--json", "--once"]);
      const ran = await run(["--json", "--publish", nats.url]);
      const watched = await watching.done;
      expect(ran.code).toBe(0);
      expect(watched.out).toBe(ran.out);
    } finally {
      await nats.stop();
    }
  });

  it("rejects a bad URL and a missing --subscribe as usage or config errors", async () => {
    const io = captureIo();
    expect(await main(["watch"], io)).toBe(2);
    expect(io.err()).toContain("--subscribe");
    const bad = captureIo();
    expect(await main(["watch", "--subscribe", "http://example.invalid"], bad)).toBe(3);
    expect(bad.err()).toContain("config_invalid");
    const run = captureIo();
    expect(await main(["run", "hi", "--provider", "claude", "--publish"], run)).toBe(2);
  });
});
