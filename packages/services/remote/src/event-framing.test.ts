import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Writable } from "node:stream";
import type { SurfaceExit, SurfaceProcess } from "@asm/core";
import { natsServerInstalled, startPrivateNatsServer, type PrivateNatsServer } from "@asm/testkit";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NodeRun } from "./node-run.js";
import { decodeRunEvent, encodeRunEvent, subjects, type RunEvent } from "./protocol.js";

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array) => new TextDecoder().decode(data);

describe("event messages", () => {
  it("carry the header, then the CLI's lines unescaped", () => {
    const lines = bytes('{"type":"text","text":"a \\"quoted\\" word"}\n{"type":"result"}\n');
    const data = encodeRunEvent({ seq: 7, kind: "stdout" }, lines);
    expect(text(data)).toBe(`{"seq":7,"kind":"stdout"}\n${text(lines)}`);
    expect(decodeRunEvent(data)).toEqual({ event: { seq: 7, kind: "stdout" }, lines });
    expect(decodeRunEvent(encodeRunEvent({ seq: 8, kind: "exit", code: 0, signal: null }))).toEqual({ event: { seq: 8, kind: "exit", code: 0, signal: null }, lines: new Uint8Array(0) });
  });

  it("are refused when they are not whole lines or not an event", () => {
    expect(decodeRunEvent(bytes('{"seq":1,"kind":"stdout"}'))).toBeNull();
    expect(decodeRunEvent(bytes('{"seq":1,"kind":"stdout"}\n{"partial":'))).toBeNull();
    expect(decodeRunEvent(bytes('{"seq":1,"kind":"exit","code":0,"signal":null}\nstray\n'))).toBeNull();
    expect(decodeRunEvent(bytes('{"kind":"stdout"}\nline\n'))).toBeNull();
    expect(decodeRunEvent(bytes("not json\nline\n"))).toBeNull();
  });
});

/** A process whose output the test writes in chunks of its choosing. */
function scriptedProcess(): SurfaceProcess & { stdout: PassThrough; stderr: PassThrough; signals: string[]; exit(exit: SurfaceExit): void } {
  let resolveExit!: (exit: SurfaceExit) => void;
  const exited = new Promise<SurfaceExit>((resolve) => (resolveExit = resolve));
  let alive = true;
  const signals: string[] = [];
  const proc = {
    pid: 0,
    stdin: new Writable({ write: (_chunk, _encoding, callback) => callback() }),
    stdout: new PassThrough(),
    stderr: new PassThrough(),
    exited,
    signals,
    signal(signal: NodeJS.Signals) {
      signals.push(signal);
      if (signal === "SIGKILL") proc.exit({ exitCode: null, signal });
    },
    isAlive: () => alive,
    describe: () => ({}),
    exit(exit: SurfaceExit) {
      if (!alive) return;
      alive = false;
      proc.stdout.end();
      proc.stderr.end();
      resolveExit(exit);
    },
  };
  return proc;
}

// A real nats-server with a 4 KiB max_payload, so the node must split what one chunk holds.
describe.skipIf(!natsServerInstalled())("a node run's event messages (real nats-server, max_payload 4096)", () => {
  let nats: PrivateNatsServer;
  let dir: string;
  let nc: NatsConnection;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "asm-framing-"));
    const config = join(dir, "nats.conf");
    writeFileSync(config, "max_payload: 4096\n");
    nats = await startPrivateNatsServer({ configFile: config });
    nc = await connect({ servers: nats.url });
  });
  afterAll(async () => {
    await nc?.close();
    await nats?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function run(runId: string, write: (proc: ReturnType<typeof scriptedProcess>) => void): Promise<{ messages: { event: RunEvent; lines: string }[]; proc: ReturnType<typeof scriptedProcess> }> {
    const messages: { event: RunEvent; lines: string }[] = [];
    const ended = new Promise<void>((resolve) => {
      nc.subscribe(subjects.events("n1", runId), {
        callback: (_error, msg) => {
          const decoded = decodeRunEvent(msg.data);
          if (decoded === null) throw new Error(`not an event message: ${text(msg.data).slice(0, 80)}`);
          messages.push({ event: decoded.event, lines: text(decoded.lines) });
          if (decoded.event.kind === "exit") resolve();
        },
      });
    });
    await nc.flush();
    const proc = scriptedProcess();
    const done = new Promise<void>((resolve) => new NodeRun({ nc, node: "n1", runId, proc, heartbeatMs: 1_000, onDone: resolve }));
    write(proc);
    await ended;
    await done;
    return { messages, proc };
  }

  it("sends a chunk's whole lines together, split at line boundaries to fit, in seq order", async () => {
    const lines = Array.from({ length: 60 }, (_, i) => `${JSON.stringify({ type: "text", text: `${i} ${"x".repeat(200)}` })}\n`);
    const all = lines.join("");
    const { messages } = await run("r1", (proc) => {
      // One chunk ending mid-line, then the rest: the partial line waits for its end.
      const cut = all.length - 100;
      proc.stdout.write(all.slice(0, cut));
      setTimeout(() => {
        proc.stdout.write(all.slice(cut));
        proc.exit({ exitCode: 0, signal: null });
      }, 20);
    });
    const output = messages.filter((m) => m.event.kind === "stdout");
    expect(output.map((m) => m.lines).join("")).toBe(all);
    expect(output.length).toBeGreaterThan(3); // 13 KB at ≤ 3.5 KB per message
    expect(output.length).toBeLessThan(lines.length);
    for (const message of output) {
      expect(message.lines.endsWith("\n")).toBe(true);
      expect(Buffer.byteLength(message.lines)).toBeLessThanOrEqual(4096 - 512);
    }
    expect(messages.map((m) => m.event.seq)).toEqual(messages.map((_, i) => i + 1));
    expect(messages.at(-1)?.event).toMatchObject({ kind: "exit", code: 0 });
  });

  it("ends the run with a note, not a cut line, when one line cannot fit; a last line without newline still arrives whole", async () => {
    const { messages, proc } = await run("r2", (p) => {
      p.stderr.write("warning: no newline at the end");
      p.stdout.write(`{"type":"text","text":"ok"}\n{"type":"text","text":"${"y".repeat(5_000)}"}\n{"type":"text","text":"never"}\n`);
    });
    expect(proc.signals).toContain("SIGKILL");
    const stdout = messages.filter((m) => m.event.kind === "stdout").map((m) => m.lines).join("");
    expect(stdout).toBe('{"type":"text","text":"ok"}\n');
    const stderr = messages.filter((m) => m.event.kind === "stderr").map((m) => m.lines);
    expect(stderr).toContain("warning: no newline at the end\n");
    expect(stderr.some((line) => /a stdout line of 50\d\d bytes exceeds the server's max_payload; the run is ended\n$/.test(line))).toBe(true);
    expect(messages.at(-1)?.event).toMatchObject({ kind: "exit", signal: "SIGKILL" });
  });
});
