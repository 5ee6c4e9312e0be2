import {
  AsmError,
  isOutcomeEvent,
  isTerminalError,
  payloadSchemas,
  PERMISSION_MODES,
  type BackendEvent,
  type Invocation,
  type InvocationInput,
  type PermissionModeTable,
  type ProviderProfile,
} from "@asm/contract";
import type { ConformanceTranscript } from "./conformance-types.js";
import { NON_JSON_LINES, ODD_JSON_LINES } from "./garbage-lines.js";

// Each check returns the problems it found (empty = conforming), so the vitest wrapper stays thin
// and the checks themselves can be tested against broken profiles.

/** What feeding one transcript to a fresh parser produced. */
interface Replay {
  events: BackendEvent[];
  /** Lines the parser asked to write to the CLI's stdin. */
  replies: string[];
  /** What a parser call threw, if anything. */
  thrown: unknown;
}

const STDERR_TAIL_BYTES = 4096;

/**
 * Feeds a transcript to a fresh parser the way the core lane does: each non-empty stdout line,
 * stderr in one chunk, then `exit()` with `outcomeSeen` computed from what came out.
 */
function replayTranscript(profile: ProviderProfile, transcript: ConformanceTranscript, leadingLines: readonly string[] = []): Replay {
  const events: BackendEvent[] = [];
  const replies: string[] = [];
  try {
    const parser = profile.createParser({ provider: profile.id, reply: (line) => replies.push(line) });
    const lines = [...leadingLines, ...transcript.stdout.split("\n").map((line) => line.replace(/\r$/, ""))];
    for (const line of lines) if (line !== "") events.push(...eventList(parser.line(line), "line()"));
    const stderr = transcript.stderr ?? "";
    if (stderr !== "") events.push(...eventList(parser.stderr(stderr), "stderr()"));
    events.push(
      ...eventList(parser.exit({
        exitCode: transcript.exitCode,
        signal: transcript.signal ?? null,
        stderrTail: stderr.slice(-STDERR_TAIL_BYTES),
        outcomeSeen: events.some(isOutcomeEvent),
      }), "exit()"),
    );
    return { events, replies, thrown: undefined };
  } catch (error) {
    return { events, replies, thrown: error };
  }
}

/** The events a parser call returned; throws when it returned something else. */
function eventList(value: unknown, call: string): BackendEvent[] {
  if (!Array.isArray(value)) throw new AsmError("parse_error", `parser.${call} returned ${typeof value} instead of an array of events`);
  return value as BackendEvent[];
}

/** Problems with the events' payloads (each must satisfy its kind's schema). */
function checkPayloads(events: readonly BackendEvent[]): string[] {
  const problems: string[] = [];
  events.forEach((event, position) => {
    if (typeof event !== "object" || event === null) {
      problems.push(`event ${position}: not an object`);
      return;
    }
    const schema = payloadSchemas[event.kind];
    if (schema === undefined) {
      problems.push(`event ${position}: unknown kind ${JSON.stringify(event.kind)}`);
      return;
    }
    const parsed = schema.safeParse(event.payload);
    if (!parsed.success) problems.push(`event ${position} (${event.kind}): invalid payload: ${parsed.error.message}`);
  });
  return problems;
}

function describeOutcomes(events: readonly BackendEvent[]): string {
  return events
    .filter(isOutcomeEvent)
    .map((event) => (event.kind === "error" ? `error(${String((event.payload as { code?: unknown }).code)})` : event.kind))
    .join(", ");
}

/** A transcript yields exactly one outcome, of the expected kind and error code, with valid payloads. */
export function checkTranscript(profile: ProviderProfile, transcript: ConformanceTranscript): string[] {
  const replay = replayTranscript(profile, transcript);
  if (replay.thrown !== undefined) return [`the parser threw: ${errorText(replay.thrown)}`];
  const problems = checkPayloads(replay.events);
  const outcomes = replay.events.filter(isOutcomeEvent);
  if (outcomes.length !== 1) {
    problems.push(`expected exactly one outcome, got ${outcomes.length}${outcomes.length > 0 ? ` (${describeOutcomes(replay.events)})` : ""}`);
    return problems;
  }
  const outcome = outcomes[0] as BackendEvent;
  const kind = outcome.kind === "result" ? "result" : "error";
  if (kind !== transcript.expectOutcome) problems.push(`expected a ${transcript.expectOutcome} outcome, got ${describeOutcomes(replay.events)}`);
  if (kind === "error" && transcript.expectErrorCode !== undefined) {
    const code = (outcome.payload as { code?: unknown }).code;
    if (code !== transcript.expectErrorCode) problems.push(`expected error code ${transcript.expectErrorCode}, got ${String(code)}`);
  }
  return problems;
}

function isParseErrorNotice(event: BackendEvent): boolean {
  const code = (event.payload as { code?: unknown }).code;
  if (code !== "parse_error") return false;
  return (event.kind === "error" && !isTerminalError(event)) || event.kind === "warning";
}

/**
 * Garbage on stdout never throws: a non-JSON line gives a non-terminal `parse_error` (an `error`
 * of severity warning/info, or a `warning` with that code) and no outcome; an odd JSON line gives
 * no outcome. With `transcript`, the garbage comes first and the transcript's outcome must be
 * unchanged.
 */
export function checkGarbage(profile: ProviderProfile, transcript?: ConformanceTranscript): string[] {
  const problems: string[] = [];
  let parser;
  try {
    parser = profile.createParser({ provider: profile.id, reply: () => undefined });
  } catch (error) {
    return [`createParser threw: ${errorText(error)}`];
  }
  for (const [lines, nonJson] of [
    [NON_JSON_LINES, true],
    [ODD_JSON_LINES, false],
  ] as const) {
    for (const line of lines) {
      const shown = JSON.stringify(line.length > 40 ? `${line.slice(0, 40)}…` : line);
      let events: BackendEvent[];
      try {
        events = eventList(parser.line(line), "line()");
      } catch (error) {
        problems.push(`line ${shown} threw: ${errorText(error)}`);
        continue;
      }
      problems.push(...checkPayloads(events).map((problem) => `line ${shown}: ${problem}`));
      if (events.some(isOutcomeEvent)) problems.push(`line ${shown} settled the run (${describeOutcomes(events)})`);
      if (nonJson && !events.some(isParseErrorNotice)) problems.push(`line ${shown} gave no non-terminal parse_error event`);
    }
  }
  if (transcript !== undefined) {
    const replay = replayTranscript(profile, transcript, [...NON_JSON_LINES, ...ODD_JSON_LINES]);
    if (replay.thrown !== undefined) problems.push(`with leading garbage, the parser threw: ${errorText(replay.thrown)}`);
    else {
      const outcomes = replay.events.filter(isOutcomeEvent);
      const expected = transcript.expectOutcome;
      if (outcomes.length !== 1 || (outcomes[0]?.kind === "result" ? "result" : "error") !== expected) {
        problems.push(`with leading garbage, expected one ${expected} outcome, got [${describeOutcomes(replay.events)}]`);
      }
    }
  }
  return problems;
}

/** `exit()` on a parser that saw no output synthesizes exactly one outcome (a terminal error on failure). */
export function checkSilentExits(profile: ProviderProfile): string[] {
  const problems: string[] = [];
  const cases: Array<{ label: string; exitCode: number | null; signal: string | null; stderr: string; mustFail: boolean }> = [
    { label: "exit 0", exitCode: 0, signal: null, stderr: "", mustFail: false },
    { label: "exit 1 with stderr", exitCode: 1, signal: null, stderr: "fatal: something broke\n", mustFail: true },
    { label: "exit 1 without stderr", exitCode: 1, signal: null, stderr: "", mustFail: true },
    { label: "killed by SIGKILL", exitCode: null, signal: "SIGKILL", stderr: "", mustFail: true },
  ];
  for (const item of cases) {
    try {
      const parser = profile.createParser({ provider: profile.id, reply: () => undefined });
      const events = [
        ...(item.stderr === "" ? [] : eventList(parser.stderr(item.stderr), "stderr()")),
        ...eventList(parser.exit({ exitCode: item.exitCode, signal: item.signal, stderrTail: item.stderr, outcomeSeen: false }), "exit()"),
      ];
      problems.push(...checkPayloads(events).map((problem) => `${item.label}: ${problem}`));
      const outcomes = events.filter(isOutcomeEvent);
      if (outcomes.length !== 1) problems.push(`${item.label}: expected one synthesized outcome, got ${outcomes.length}`);
      else if (item.mustFail && outcomes[0]?.kind !== "error") problems.push(`${item.label}: expected a terminal error, got ${outcomes[0]?.kind}`);
    } catch (error) {
      problems.push(`${item.label}: threw ${errorText(error)}`);
    }
  }
  return problems;
}

function invocationShapeProblems(label: string, invocation: Invocation): string[] {
  const problems: string[] = [];
  if (!Array.isArray(invocation.args) || invocation.args.some((arg) => typeof arg !== "string")) problems.push(`${label}: args must be an array of strings`);
  if (typeof invocation.env !== "object" || invocation.env === null) problems.push(`${label}: env must be an object`);
  else {
    for (const [key, value] of Object.entries(invocation.env)) {
      if (value !== undefined && typeof value !== "string") problems.push(`${label}: env.${key} must be a string or undefined`);
    }
  }
  if (typeof invocation.closeStdin !== "boolean") problems.push(`${label}: closeStdin must be a boolean`);
  if (invocation.stdin !== undefined && typeof invocation.stdin !== "string") problems.push(`${label}: stdin must be a string`);
  for (const file of invocation.files ?? []) {
    if (typeof file.key !== "string" || typeof file.content !== "string") problems.push(`${label}: files need a string key and content`);
  }
  return problems;
}

function deliversPrompt(invocation: Invocation, prompt: string): boolean {
  const carriers = [...invocation.args, invocation.stdin ?? "", ...(invocation.files ?? []).map((file) => file.content)].filter(
    (carrier): carrier is string => typeof carrier === "string",
  );
  // The prompt may be JSON-encoded (a stream-json stdin line), so look for it both ways.
  const encoded = JSON.stringify(prompt).slice(1, -1);
  return carriers.some((carrier) => carrier.includes(prompt) || carrier.includes(encoded));
}

function buildSafely(profile: ProviderProfile, input: InvocationInput): Invocation | string {
  try {
    return profile.buildInvocation(input);
  } catch (error) {
    return errorText(error);
  }
}

/**
 * `buildInvocation` returns well-formed invocations that deliver the prompt, never puts a prompt
 * longer than `maxArgvPromptBytes` on argv, renders every permission mode as string arguments, and
 * carries a continuation's session id when the profile can resume.
 */
export function checkInvocations(
  profile: ProviderProfile,
  options: { invocationOptions?: Record<string, unknown>; permissionModes?: PermissionModeTable } = {},
): string[] {
  const problems: string[] = [];
  const base = { options: options.invocationOptions ?? {}, maxArgvPromptBytes: 100_000 };

  const shortPrompt = "Say OK";
  const short = buildSafely(profile, { ...base, prompt: shortPrompt });
  if (typeof short === "string") problems.push(`short prompt: buildInvocation threw: ${short}`);
  else {
    problems.push(...invocationShapeProblems("short prompt", short));
    if (!deliversPrompt(short, shortPrompt)) problems.push("short prompt: the prompt is not in args, stdin or files");
  }

  const limit = 1024;
  const longPrompt = `Summarize this text ✓ ${"The quick brown fox jumps over the lazy dog. ".repeat(120)}— end ✓`;
  const long = buildSafely(profile, { ...base, prompt: longPrompt, maxArgvPromptBytes: limit });
  if (typeof long === "string") problems.push(`long prompt: buildInvocation threw: ${long}`);
  else {
    problems.push(...invocationShapeProblems("long prompt", long));
    const head = longPrompt.slice(0, 200);
    const tail = longPrompt.slice(-200);
    if (long.args.some((arg) => typeof arg === "string" && (arg.includes(head) || arg.includes(tail)))) {
      problems.push(`long prompt: a ${Buffer.byteLength(longPrompt)}-byte prompt went on argv although maxArgvPromptBytes is ${limit}`);
    }
    if (!deliversPrompt(long, longPrompt)) problems.push("long prompt: the prompt is not in stdin or files");
  }

  for (const mode of PERMISSION_MODES) {
    const entry = options.permissionModes?.[mode];
    if (entry !== undefined) {
      if ("unsupported" in entry) {
        if (typeof entry.unsupported !== "string" || entry.unsupported.trim() === "") problems.push(`permission mode ${mode}: an unsupported mode needs a reason`);
        continue;
      }
      if (!Array.isArray(entry.cliArgs) || entry.cliArgs.some((arg) => typeof arg !== "string")) {
        problems.push(`permission mode ${mode}: cliArgs must be an array of strings`);
      }
      if (typeof entry.nativeMode !== "string" || entry.nativeMode === "") problems.push(`permission mode ${mode}: nativeMode must be a non-empty string`);
      if (typeof entry.label !== "string" || entry.label === "") problems.push(`permission mode ${mode}: label must be a non-empty string`);
    }
    const native = entry !== undefined && !("unsupported" in entry) ? entry.nativeMode : undefined;
    if (options.permissionModes !== undefined && native === undefined) continue;
    const built = buildSafely(profile, { ...base, prompt: shortPrompt, permissionMode: mode, ...(native === undefined ? {} : { nativePermissionMode: native }) });
    if (typeof built === "string") {
      // Without a table we cannot know which modes the provider supports; only a table's modes must build.
      if (options.permissionModes !== undefined) problems.push(`permission mode ${mode}: buildInvocation threw: ${built}`);
    } else {
      problems.push(...invocationShapeProblems(`permission mode ${mode}`, built));
    }
  }

  if (profile.capabilities.includes("resume")) {
    const sessionId = "conformance-session-3f9c2a";
    const resumed = buildSafely(profile, { ...base, prompt: shortPrompt, continuation: { strategy: "exact", providerSessionId: sessionId } });
    if (typeof resumed === "string") problems.push(`resume: buildInvocation threw: ${resumed}`);
    else if (![...resumed.args, resumed.stdin ?? ""].some((part) => typeof part === "string" && part.includes(sessionId))) {
      problems.push("resume: the continuation's session id is not in args or stdin");
    }
  }
  return problems;
}

const SEMVER = /^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/;

function compareSemver(left: string, right: string): number {
  const a = left.split(/[.+-]/).slice(0, 3).map(Number);
  const b = right.split(/[.+-]/).slice(0, 3).map(Number);
  for (let index = 0; index < 3; index += 1) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** Discovery data is complete: binary names, env var, install hint, version arguments and range. */
export function checkDiscovery(profile: ProviderProfile, versionSample?: { output: string; version: string }): string[] {
  const problems: string[] = [];
  const cli = profile.cli;
  if (typeof profile.id !== "string" || profile.id === "") problems.push("profile.id must be a non-empty string");
  if (!Array.isArray(cli.binaryNames) || cli.binaryNames.length === 0) problems.push("cli.binaryNames must list at least one name");
  else if (cli.binaryNames.some((name) => typeof name !== "string" || name === "" || name.includes("/"))) {
    problems.push("cli.binaryNames must be plain executable names");
  }
  if (typeof cli.envVar !== "string" || !/^[A-Z][A-Z0-9_]*$/.test(cli.envVar)) problems.push("cli.envVar must be an UPPER_SNAKE_CASE variable name");
  if (typeof cli.installHint !== "string" || cli.installHint.trim() === "") problems.push("cli.installHint must be a non-empty string");
  if (!Array.isArray(cli.versionArgs) || cli.versionArgs.some((arg) => typeof arg !== "string")) problems.push("cli.versionArgs must be an array of strings");
  const range = cli.supportedVersions;
  if (range === undefined || typeof range.min !== "string" || !SEMVER.test(range.min)) problems.push("cli.supportedVersions.min must be a semver");
  else if (range.maxExclusive !== undefined) {
    if (!SEMVER.test(range.maxExclusive)) problems.push("cli.supportedVersions.maxExclusive must be a semver");
    else if (compareSemver(range.maxExclusive, range.min) <= 0) problems.push("cli.supportedVersions.maxExclusive must be above min");
  }
  try {
    const paths = cli.knownPaths({ HOME: "/home/conformance", PATH: "/usr/bin" }, "linux");
    if (!Array.isArray(paths) || paths.some((path) => typeof path !== "string")) problems.push("cli.knownPaths must return an array of strings");
  } catch (error) {
    problems.push(`cli.knownPaths threw: ${errorText(error)}`);
  }
  try {
    if (cli.parseVersion("no version in this text") !== null) problems.push("cli.parseVersion must return null when there is no version");
    if (versionSample !== undefined && cli.parseVersion(versionSample.output) !== versionSample.version) {
      problems.push(`cli.parseVersion(${JSON.stringify(versionSample.output)}) must return ${versionSample.version}`);
    }
  } catch (error) {
    problems.push(`cli.parseVersion threw: ${errorText(error)}`);
  }
  return problems;
}

function isSingleJsonLine(line: unknown): boolean {
  if (typeof line !== "string" || line.includes("\n")) return false;
  try {
    JSON.parse(line);
    return true;
  } catch (_error) {
    return false;
  }
}

/** A stdio control protocol, when present, produces single JSON lines. */
export function checkControlProtocol(profile: ProviderProfile): string[] {
  const control = profile.control;
  if (control === undefined) return [];
  const problems: string[] = [];
  const details = { requestId: "req_conformance_1", toolName: "Bash", input: { command: "echo hi" }, toolUseId: "toolu_conformance_1" };
  try {
    for (const decision of ["allow", "deny"] as const) {
      if (!isSingleJsonLine(control.approvalReply(details, decision, "conformance reason"))) problems.push(`control.approvalReply(${decision}) must be one JSON line`);
    }
    const interrupt = control.interruptLine("req_conformance_2");
    if (interrupt !== null && !isSingleJsonLine(interrupt)) problems.push("control.interruptLine must be null or one JSON line");
    const message = control.userMessageLine("first line\nsecond line");
    if (!isSingleJsonLine(message)) problems.push("control.userMessageLine must be one JSON line");
    else if (!JSON.stringify(JSON.parse(message) as unknown).includes("first line\\nsecond line")) problems.push("control.userMessageLine must carry the text");
    if (typeof control.endInputOnOutcome !== "boolean") problems.push("control.endInputOnOutcome must be a boolean");
  } catch (error) {
    problems.push(`the control protocol threw: ${errorText(error)}`);
  }
  return problems;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
