// An ASM host for the restart test: a SQLite store, one session with a finished run (its CLI
// reports provider session id `sess-1`) and a second run whose CLI hangs. Once the second run's
// first event is acknowledged by the store it writes `ready` to its ready file and waits to be
// killed with SIGKILL, leaving that CLI's process group orphaned.
import { writeFileSync } from "node:fs";
import type { ProviderDefinition } from "@asm/contract";
import { createAsm } from "@asm/core";
import { fakeCliEnv, fakeProvider, jsonlTestProfile } from "@asm/testkit";
import { openSqliteStore } from "../../src/index.js";

const [dbPath, sessionId, stateDir, cliPath, transcript, pidFile, readyFile] = process.argv.slice(2) as [string, string, string, string, string, string, string];

// The test CLI through the real core lane: the fake provider's definition with its fake backend
// taken out and the test profile put in (so the kernel spawns the CLI as its own process group).
const { coreBackend: _fake, backend: _alsoFake, ...definition } = fakeProvider([], { name: "jsonl" });
const provider: ProviderDefinition = { ...definition, profile: jsonlTestProfile() };

const store = await openSqliteStore({ path: dbPath });
// No guardian: this host stands for one whose guardian died with it (the whole machine or container
// went down), so what cleans up the orphaned CLI is the restarted host's reaper, which the test checks.
const asm = createAsm({ providers: [provider], config: { store, coreLane: { stateDir, hostGuardian: false } } });
const session = await asm.startSession({ provider: "jsonl", sessionId });
await session.query("first", { cliPath, env: fakeCliEnv({ mode: "replay", transcript }) });
for await (const event of session.stream("second", { cliPath, env: fakeCliEnv({ mode: "hang", textFirst: "working", pidFile }) })) {
  if ((event).kind === "assistant_delta") {
    await asm.acknowledged(event);
    writeFileSync(readyFile, "ready\n");
  }
}
