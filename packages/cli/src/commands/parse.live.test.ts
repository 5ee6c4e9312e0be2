import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { AsmEvent, BackendEvent } from "@asm/contract";
import { createAsm, type Asm } from "@asm/core";
import { fakeCliEnv, fakeCliPath } from "@asm/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { recordedTranscripts, TRANSCRIPT_PROVIDERS, type RecordedTranscript as Recorded } from "../__fixtures__/recorded-transcripts.js";
import { findProvider, loadProviders } from "../providers.js";
import { normalizeTranscript, parseRecordedExit } from "./parse.js";

// `asm parse` and a live run must turn the same CLI lines into the same events. For every recorded
// transcript, the test kit's fake CLI (a real subprocess) replays the recorded stdout, stderr and
// exit code to the kernel's core lane, and the events of that live run are compared, one by one,
// with what `asm parse` makes of the same files.
/** Events only the kernel adds around a run; a transcript never yields them. */
const KERNEL_ONLY = new Set(["run_started", "run_completed"]);

/** What the comparison looks at: the kind and the normalized payload (ids and times differ by nature). */
function shape(event: BackendEvent | AsmEvent): { kind: string; payload: unknown } {
  return { kind: event.kind, payload: event.payload };
}

/**
 * A live event as the parser made it: the kernel scopes approval ids to the run
 * (`<runId>/<provider id>`, on a request the provider's own id kept as `providerApprovalId`),
 * which a transcript parsed outside any run cannot do.
 */
function unscoped(event: AsmEvent): { kind: string; payload: unknown } {
  if (event.kind !== "approval_requested" && event.kind !== "approval_resolved") return shape(event);
  const { providerApprovalId, ...payload } = event.payload as { approvalId: string; providerApprovalId?: string };
  const scope = `${event.runId}/`;
  expect(payload.approvalId.startsWith(scope), payload.approvalId).toBe(true);
  const approvalId = payload.approvalId.slice(scope.length);
  if (providerApprovalId !== undefined) expect(providerApprovalId).toBe(approvalId);
  return { kind: event.kind, payload: { ...payload, approvalId } };
}

const asm: Asm = createAsm({ providers: loadProviders() });
// The kernel remembers a CLI's version by its path: each provider gets the fake CLI under a path of
// its own, so each version check sees the version that provider's transcripts were recorded with.
const cliDir = mkdtempSync(join(tmpdir(), "asm-parse-live-"));
function cliPathFor(provider: string): string {
  const path = join(cliDir, provider, "fake-cli.mjs");
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    symlinkSync(fakeCliPath(), path);
  }
  return path;
}
afterAll(async () => {
  await asm.dispose();
  rmSync(cliDir, { recursive: true, force: true });
});

async function liveEvents(entry: Recorded): Promise<AsmEvent[]> {
  const profile = findProvider(entry.provider).profile!;
  const env = fakeCliEnv({
    mode: "replay",
    transcript: entry.stdout,
    exitCodeFile: entry.exitFile,
    // A version inside the profile's supported range, so the kernel's version check passes.
    version: profile.cli.supportedVersions.min,
    ...(entry.stderr === undefined ? {} : { stderrFile: entry.stderr }),
  });
  const events: AsmEvent[] = [];
  for await (const event of asm.stream(entry.provider, "replayed prompt", { cliPath: cliPathFor(entry.provider), env, permissionMode: "bypass" })) events.push(event);
  return events;
}

describe("asm parse and a live run agree on every recorded transcript", () => {
  const all = recordedTranscripts();

  it("has transcripts of all four CLIs to compare", () => {
    for (const provider of TRANSCRIPT_PROVIDERS) expect(all.filter((entry) => entry.provider === provider).length, provider).toBeGreaterThan(0);
  });

  it.each(all.map((entry) => [entry.key, entry] as const))("%s", async (_key, entry) => {
    const profile = findProvider(entry.provider).profile!;
    const stdout = readFileSync(entry.stdout, "utf8");
    const stderr = entry.stderr === undefined ? "" : readFileSync(entry.stderr, "utf8");
    const parsed = normalizeTranscript(profile, stdout, stderr, parseRecordedExit(readFileSync(entry.exitFile, "utf8"))).events;
    const live = await liveEvents(entry);
    expect(live.at(-1)?.kind).toBe("run_completed");
    expect(live.filter((event) => !KERNEL_ONLY.has(event.kind)).map(unscoped)).toEqual(parsed.map(shape));
  });
}, 120_000);
