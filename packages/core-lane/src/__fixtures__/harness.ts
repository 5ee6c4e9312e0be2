// Shared setup of the core lane's integration tests: start configs, event collection, and process
// checks that do not rely on the code under test (they ask `ps`).
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isOutcomeEvent, type BackendEvent, type BackendSession, type BackendStartConfig } from "@asm/contract";
import { fakeCliEnv, fakeCliPath, type FakeCliScenario } from "@asm/testkit";
import type { CoreLaneRunOptionsInput } from "../run-options.js";
import { localStartConfig } from "./start-config.js";

/** A private registry folder per test file, so tests never touch a real host's records. */
export function testStateDir(): string {
  return mkdtempSync(join(tmpdir(), "asm-core-lane-state-"));
}

/** Small timeouts so every scenario ends in well under a second or two. */
const FAST: CoreLaneRunOptionsInput = {
  idleTimeoutMs: 10_000,
  wallTimeoutMs: 30_000,
  closeGraceMs: 300,
  completionGraceMs: 100,
  checkVersion: false,
};

let runCounter = 0;

/** A start config for the fake CLI in the given scenario. */
export function fakeRun(
  scenario: FakeCliScenario,
  options: CoreLaneRunOptionsInput = {},
  overrides: Partial<BackendStartConfig> = {},
): BackendStartConfig {
  runCounter += 1;
  const backendOptions = { ...FAST, cliPath: fakeCliPath(), ...options, env: { ...fakeCliEnv(scenario), ...(options.env ?? {}) } };
  const { backendOptions: _given, ...rest } = overrides;
  return { ...localStartConfig({ runId: `run-${runCounter}`, sessionId: "session-1", provider: "fake", prompt: "Say OK", backendOptions }), ...rest };
}

/** Reads every event of a run. */
export async function collect(session: BackendSession, onEvent?: (event: BackendEvent) => void | Promise<void>): Promise<BackendEvent[]> {
  const events: BackendEvent[] = [];
  for await (const event of session.events()) {
    events.push(event);
    await onEvent?.(event);
  }
  return events;
}

/** The outcome events among `events`. */
function outcomes(events: readonly BackendEvent[]): BackendEvent[] {
  return events.filter((event) => isOutcomeEvent(event));
}

/** The payload of the single outcome, asserting there is exactly one and it is last. */
export function onlyOutcome(events: readonly BackendEvent[]): BackendEvent {
  const found = outcomes(events);
  if (found.length !== 1) throw new TypeError(`expected exactly one outcome, got ${found.length}: ${JSON.stringify(found)}`);
  const outcome = found[0] as BackendEvent;
  if (events.at(-1) !== outcome) throw new TypeError(`the outcome is not the last event: ${JSON.stringify(events.at(-1))}`);
  return outcome;
}

/** Text of the `assistant_delta` events. */
export function deltas(events: readonly BackendEvent[]): string[] {
  return events.flatMap((event) => (event.kind === "assistant_delta" ? [event.payload.content] : []));
}

/** Live (non-zombie) processes of a process group, according to `ps`. */
export function livePidsOfGroup(pgid: number): number[] {
  const output = execFileSync("ps", ["-A", "-o", "pid=,pgid=,stat="], { encoding: "utf8" });
  return output
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter(([, group, stat]) => Number(group) === pgid && stat !== undefined && !stat.startsWith("Z"))
    .map(([pid]) => Number(pid));
}

/** True when `pid` is a live (non-zombie) process, according to `ps`. */
export function isLive(pid: number): boolean {
  try {
    const stat = execFileSync("ps", ["-o", "stat=", "-p", String(pid)], { encoding: "utf8" }).trim();
    return stat !== "" && !stat.startsWith("Z");
  } catch {
    return false;
  }
}

/** The pid (and process group id) of a run's CLI. */
export function runPid(session: BackendSession): number {
  return session.info().session.pid as number;
}

/** Polls until `check` is true or `timeoutMs` passes; returns the last result. */
export async function eventually(check: () => boolean, timeoutMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

/** The first event matching `predicate`, read from an already-started iterator. */
export async function nextMatching(
  iterator: AsyncIterator<BackendEvent>,
  seen: BackendEvent[],
  predicate: (event: BackendEvent) => boolean,
): Promise<BackendEvent> {
  for (;;) {
    const step = await iterator.next();
    if (step.done === true) throw new TypeError(`the run ended before the expected event; saw ${JSON.stringify(seen.map((event) => event.kind))}`);
    seen.push(step.value);
    if (predicate(step.value)) return step.value;
  }
}

/** Reads the rest of an iterator. */
export async function drain(iterator: AsyncIterator<BackendEvent>, seen: BackendEvent[]): Promise<BackendEvent[]> {
  for (;;) {
    const step = await iterator.next();
    if (step.done === true) return seen;
    seen.push(step.value);
  }
}
