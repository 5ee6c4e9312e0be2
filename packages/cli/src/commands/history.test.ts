import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ulid } from "@asm/contract";
import { fakeCliEnv, fakeCliPath, type FakeCliScenario } from "@asm/testkit";
import pg from "pg";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { captureIo } from "../__fixtures__/capture-io.js";
import { main } from "../main.js";

// `asm run --store` and `asm history` in this process, against the test kit's fake CLI replaying
// the recorded demo session; each main() call is a fresh runtime, as after a restart.
const HERE = dirname(fileURLToPath(import.meta.url));
const DEMO_TRANSCRIPT = join(HERE, "..", "..", "transcripts", "demo-claude.jsonl");
const PG_URL = process.env.ASM_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";

const dirs: string[] = [];
const schemas: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "asm-cli-store-"));
  dirs.push(dir);
  return dir;
}

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3_000 });
  client.on("error", () => undefined);
  try {
    await client.connect();
    return true;
  } catch (error) {
    // Under CI the server is part of the environment: its absence fails the suite.
    if (process.env.CI === "true") throw new Error(`PostgreSQL is required under CI=true and is not reachable at ${PG_URL}: ${String(error)}`);
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

afterAll(async () => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  if (schemas.length === 0) return;
  const client = new pg.Client({ connectionString: PG_URL });
  client.on("error", () => undefined);
  await client.connect();
  for (const schema of schemas.splice(0)) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
});

afterEach(() => {
  vi.unstubAllEnvs();
});

function scenario(value: FakeCliScenario): void {
  for (const [key, field] of Object.entries(fakeCliEnv({ version: "2.1.329", ...value }))) vi.stubEnv(key, field);
}

async function asm(argv: string[], env: Record<string, string> = {}) {
  const io = captureIo(env);
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

const lines = (text: string) => text.trim().split("\n").filter((line) => line !== "");

async function storeUrls(): Promise<Array<[string, () => string]>> {
  const urls: Array<[string, () => string]> = [
    ["sqlite", () => `sqlite:${join(tempDir(), "asm.db")}`],
    ["file", () => `file:${tempDir()}`],
  ];
  if (await postgresReachable()) {
    urls.push([
      "postgres",
      () => {
        const schema = `asm_cli_${ulid().toLowerCase()}`;
        schemas.push(schema);
        return `${PG_URL}?schema=${schema}`;
      },
    ]);
  }
  return urls;
}

describe.each(await storeUrls())("asm run --store %s, asm history", (_name, makeUrl) => {
  it("stores every printed event, lists the session, and replays its events as asm run printed them", async () => {
    const url = makeUrl();
    scenario({ mode: "replay", transcript: DEMO_TRANSCRIPT });
    const run = await asm(["run", "Run echo in the shell", "--provider", "claude", "--cli-path", fakeCliPath(), "--json", "--store", url]);
    expect(run.code).toBe(0);
    const printed = lines(run.out);
    const first = JSON.parse(printed[0]!) as { sessionId: string; runId: string };
    expect(run.err).toContain(`stored: session ${first.sessionId} in `);

    const index = await asm(["history", "--store", url, "--json"]);
    expect(index.code).toBe(0);
    const sessions = lines(index.out).map((line) => JSON.parse(line) as { sessionId: string; provider: string; status: string; runs: unknown[] });
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ sessionId: first.sessionId, provider: "claude", status: "completed" });

    // The same lines, ids and order asm run --json printed.
    const stored = await asm(["history", "--store", url, "--session", first.sessionId, "--json"]);
    expect(stored.code).toBe(0);
    expect(lines(stored.out)).toEqual(printed);

    const table = await asm(["history", "--store", url]);
    expect(table.out).toMatch(new RegExp(`^${first.sessionId}\\s+claude\\s+completed\\s+1\\s+${printed.length}\\s`, "m"));
    const runs = await asm(["history", "--store", url, "--session", first.sessionId]);
    expect(runs.out).toMatch(new RegExp(`^${first.runId}\\s+completed\\s`, "m"));

    const replay = await asm(["history", "--store", url, "--run", first.runId]);
    expect(replay.code).toBe(0);
    expect(replay.out).toContain(">> I'll run that command in the shell.\n");
    expect(replay.out).toContain("t-toolu_fake_1 hello from a real tool call\n");
    expect(replay.out).toMatch(/✔ completed · /);
  });

  it("continues a stored session in a new process: the provider and its session id come from the store", async () => {
    const url = makeUrl();
    scenario({ mode: "replay", transcript: DEMO_TRANSCRIPT });
    const first = await asm(["run", "Run echo in the shell", "--provider", "claude", "--cli-path", fakeCliPath(), "--json", "--store", url]);
    expect(first.code).toBe(0);
    const events = lines(first.out).map((line) => JSON.parse(line) as { sessionId: string; providerSessionId?: string });
    const sessionId = events[0]!.sessionId;
    const providerSessionId = events.findLast((event) => event.providerSessionId)?.providerSessionId;
    expect(providerSessionId).toMatch(/^[0-9a-f-]{36}$/);

    // No --provider: the stored session says claude. The fake CLI reports the argv it got.
    vi.unstubAllEnvs();
    scenario({ mode: "inspect" });
    const next = await asm(["run", "And now the next step", "--session", sessionId, "--store", url, "--cli-path", fakeCliPath(), "--json"]);
    const argvs = lines(next.out)
      .map((line) => JSON.parse(line) as { sessionId: string; kind: string; raw?: { text?: string } })
      .filter((event) => event.sessionId === sessionId)
      .map((event) => event.raw?.text)
      .filter((text): text is string => typeof text === "string" && text.startsWith("{"))
      .map((text) => (JSON.parse(text) as { argv: string[] }).argv);
    expect(argvs.length).toBeGreaterThan(0);
    expect(argvs[0]).toContain(`--resume=${providerSessionId}`);

    const index = await asm(["history", "--store", url, "--json"]);
    const sessions = lines(index.out).map((line) => JSON.parse(line) as { sessionId: string; runs: unknown[] });
    expect(sessions).toHaveLength(1);
    expect(sessions[0]!.runs).toHaveLength(2);
  });

  it("says not_found (exit 9) for a session or run the store does not hold", async () => {
    const url = makeUrl();
    scenario({ mode: "replay", transcript: DEMO_TRANSCRIPT });
    expect((await asm(["run", "hi", "--provider", "claude", "--cli-path", fakeCliPath(), "--store", url])).code).toBe(0);
    const missing = await asm(["history", "--store", url, "--session", "01NOPE"]);
    expect(missing.code).toBe(9);
    expect(missing.err).toContain("no session 01NOPE");
    expect((await asm(["history", "--store", url, "--run", "01NOPE"])).code).toBe(9);
    const resume = await asm(["run", "hi", "--session", "01NOPE", "--store", url, "--cli-path", fakeCliPath()]);
    expect(resume.code).toBe(9);
  });
});

describe("store flags", () => {
  it("a bare --store means ASM_STORE, else the default under XDG_STATE_HOME", async () => {
    const state = tempDir();
    scenario({ mode: "replay", transcript: DEMO_TRANSCRIPT });
    const run = await asm(["run", "--store", "Run echo in the shell", "--provider", "claude", "--cli-path", fakeCliPath()], { XDG_STATE_HOME: state });
    expect(run.code).toBe(0);
    expect(run.out).toContain(`in sqlite:${join(state, "asm", "asm.db")} `);
    const listed = await asm(["history"], { XDG_STATE_HOME: state });
    expect(listed.out).toMatch(/^1 session\(s\) in sqlite:/m);

    const fromEnv = `sqlite:${join(tempDir(), "env.db")}`;
    const viaEnv = await asm(["run", "Run echo in the shell", "--provider", "claude", "--cli-path", fakeCliPath()], { ASM_STORE: fromEnv });
    expect(viaEnv.out).toContain(`in ${fromEnv} `);
  });

  it("rejects a bad store or id with one usage line naming the flag (exit 2)", async () => {
    for (const [argv, flag] of [
      [["run", "hi", "--provider", "claude", "--store", "mysql://db/x"], "--store"],
      [["run", "hi", "--provider", "claude", "--store=sqlite:"], "--store"],
      [["run", "hi", "--provider", "claude", "--session"], "--session"],
      [["history", "--store", "redis://x"], "--store"],
      [["history", "--run"], "--run"],
      [["history", "stray"], "asm history takes no arguments"],
    ] as const) {
      const { code, err } = await asm([...argv]);
      expect(code, argv.join(" ")).toBe(2);
      expect(err.split("\n")[0]).toContain(flag);
    }
    const env = await asm(["run", "hi", "--provider", "claude"], { ASM_STORE: "nowhere" });
    expect(env.code).toBe(2);
    expect(env.err).toContain("ASM_STORE must be");
  });

  it("hides a PostgreSQL password in what it prints", async () => {
    const { err } = await asm(["run", "hi", "--provider", "claude", "--store", "postgresx://user:s3cret@host/db"]);
    expect(err).not.toContain("s3cret");
  });

  it("reports an empty store without creating it", async () => {
    const dir = tempDir();
    const { code, out } = await asm(["history", "--store", `sqlite:${join(dir, "none.db")}`]);
    expect(code).toBe(0);
    expect(out).toContain("no sessions stored in");
  });
});
