import { backendEvent, type ProfileParser, type ProviderProfile } from "@asm/contract";
import { describe, expect, it } from "vitest";
import { jsonlTestProfile } from "../test-profile/jsonl-test-profile.js";
import { tinyPermissionModes, tinyProfile, tinyTranscripts } from "./__fixtures__/tiny-profile.js";
import { describeProfileConformance } from "./describe-profile-conformance.js";
import {
  checkControlProtocol,
  checkDiscovery,
  checkGarbage,
  checkInvocations,
  checkSilentExits,
  checkTranscript,
} from "./profile-checks.js";

// The suite itself, run against a correct profile…
describeProfileConformance("tiny", {
  profile: tinyProfile(),
  permissionModes: tinyPermissionModes,
  transcripts: [tinyTranscripts.text, tinyTranscripts.authError, tinyTranscripts.crash],
  versionSample: { output: "tiny 1.4.2 (build 77)", version: "1.4.2" },
});

/** A profile whose parser is replaced by `parser` (built fresh for each run). */
function withParser(parser: () => ProfileParser): ProviderProfile {
  return tinyProfile({ createParser: parser });
}

// …and on one without a control protocol, whose control case must be skipped, not passed.
describe("the control protocol case", () => {
  describeProfileConformance("tiny without control", {
    profile: tinyProfile({ control: undefined }),
    permissionModes: tinyPermissionModes,
    transcripts: [tinyTranscripts.text],
  });

  it("is not registered for a profile without a control protocol and runs for one with it", ({ task }) => {
    const modeOf = (suiteName: string) => {
      const root = task.suite?.suite ?? task.file;
      const found = [...root.tasks, ...(task.suite?.tasks ?? [])].find((candidate) => candidate.name === suiteName);
      const suite = found !== undefined && "tasks" in found ? found : undefined;
      expect(suite?.tasks.length ?? 0, `${suiteName} has its cases`).toBeGreaterThan(0);
      return suite?.tasks.find((candidate) => candidate.name === "writes well-formed control protocol lines")?.mode;
    };
    // Not a skip (which would read as a missing dependency): the case does not exist for it.
    expect(modeOf("tiny without control profile conformance")).toBeUndefined();
    expect(modeOf("tiny profile conformance")).toBe("run");
  });
});

// …and the checks against broken ones, to show each catches what it is for.
describe("profile conformance checks", () => {
  it("catches a missing, a doubled and a wrong outcome", () => {
    const silent = withParser(() => ({ line: () => [], stderr: () => [], exit: () => [] }));
    expect(checkTranscript(silent, tinyTranscripts.text)).toEqual(["expected exactly one outcome, got 0"]);

    const doubled = withParser(() => ({
      line: (text) => (text.includes("done") ? [backendEvent("result", { text: "OK" })] : []),
      stderr: () => [],
      exit: () => [backendEvent("error", { code: "transport_exit", message: "exited" })],
    }));
    expect(checkTranscript(doubled, tinyTranscripts.text)).toEqual(["expected exactly one outcome, got 2 (result, error(transport_exit))"]);

    expect(checkTranscript(tinyProfile(), { ...tinyTranscripts.text, expectOutcome: "error" })).toEqual([
      "expected a error outcome, got result",
    ]);
    expect(checkTranscript(tinyProfile(), { ...tinyTranscripts.authError, expectErrorCode: "rate_limit" })).toEqual([
      "expected error code rate_limit, got auth_error",
    ]);
  });

  it("catches invalid payloads and a parser that throws", () => {
    const invalid = withParser(() => ({
      line: () => [{ kind: "tool_use", payload: { toolName: 7 } } as never, backendEvent("result", {})],
      stderr: () => [],
      exit: () => [],
    }));
    const problems = checkTranscript(invalid, tinyTranscripts.text);
    expect(problems.some((problem) => problem.startsWith("event 0 (tool_use): invalid payload"))).toBe(true);

    const throwing = withParser(() => ({
      line: (text) => JSON.parse(text) as never,
      stderr: () => [],
      exit: () => [],
    }));
    expect(checkTranscript(throwing, tinyTranscripts.text)[0]).toMatch(/^the parser threw/);
    expect(checkGarbage(throwing).some((problem) => problem.includes('"this is not json" threw'))).toBe(true);
  });

  it("catches garbage that ends the run or passes silently", () => {
    const terminal = withParser(() => ({
      line: (text) => {
        try {
          JSON.parse(text);
          return [];
        } catch (_error) {
          return [backendEvent("error", { code: "parse_error", message: "bad line" })];
        }
      },
      stderr: () => [],
      exit: () => [backendEvent("error", { code: "transport_exit", message: "exited" })],
    }));
    const problems = checkGarbage(terminal);
    expect(problems).toContain('line "this is not json" settled the run (error(parse_error))');
    expect(problems).toContain('line "this is not json" gave no non-terminal parse_error event');

    const quiet = withParser(() => ({ line: () => [], stderr: () => [], exit: () => [] }));
    expect(checkGarbage(quiet)).toContain('line "NaN" gave no non-terminal parse_error event');
  });

  it("catches an exit that synthesizes nothing or a success after a failure", () => {
    const nothing = withParser(() => ({ line: () => [], stderr: () => [], exit: () => [] }));
    expect(checkSilentExits(nothing)).toContain("exit 1 with stderr: expected one synthesized outcome, got 0");

    const optimistic = withParser(() => ({ line: () => [], stderr: () => [], exit: () => [backendEvent("result", {})] }));
    expect(checkSilentExits(optimistic)).toContain("killed by SIGKILL: expected a terminal error, got result");
  });

  it("catches a long prompt on argv, non-string arguments and a lost resume id", () => {
    const base = tinyProfile();
    const argvOnly = tinyProfile({
      buildInvocation: (input) => ({ args: ["run", "--", input.prompt], env: {}, closeStdin: true }),
    });
    expect(checkInvocations(argvOnly).some((problem) => problem.startsWith("long prompt: a "))).toBe(true);
    expect(checkInvocations(argvOnly)).toContain("resume: the continuation's session id is not in args or stdin");

    const numeric = tinyProfile({
      buildInvocation: (input) => ({ ...base.buildInvocation(input), args: ["run", 3 as unknown as string, input.prompt] }),
    });
    expect(checkInvocations(numeric)).toContain("short prompt: args must be an array of strings");

    const badTable = { ...tinyPermissionModes, bypass: { nativeMode: "yolo", cliArgs: "--yolo" as unknown as string[], label: "Yolo" } };
    expect(checkInvocations(base, { permissionModes: badTable })).toContain("permission mode bypass: cliArgs must be an array of strings");
    expect(checkInvocations(base, { permissionModes: tinyPermissionModes })).toEqual([]);
  });

  it("catches incomplete discovery data", () => {
    const good = tinyProfile();
    const broken = tinyProfile({
      cli: {
        ...good.cli,
        binaryNames: [],
        envVar: "tiny path",
        installHint: " ",
        supportedVersions: { min: "1.0", maxExclusive: "0.9.0" },
        parseVersion: () => "1.0.0",
      },
    });
    expect(checkDiscovery(broken)).toEqual([
      "cli.binaryNames must list at least one name",
      "cli.envVar must be an UPPER_SNAKE_CASE variable name",
      "cli.installHint must be a non-empty string",
      "cli.supportedVersions.min must be a semver",
      "cli.parseVersion must return null when there is no version",
    ]);
    const inverted = tinyProfile({ cli: { ...good.cli, supportedVersions: { min: "2.0.0", maxExclusive: "1.9.9" } } });
    expect(checkDiscovery(inverted)).toEqual(["cli.supportedVersions.maxExclusive must be above min"]);
  });

  it("catches control protocol lines that are not single JSON lines", () => {
    const good = tinyProfile();
    const broken = tinyProfile({
      control: {
        ...(good.control as NonNullable<ProviderProfile["control"]>),
        userMessageLine: (text) => `${JSON.stringify({ type: "user", text })}\n`,
        interruptLine: () => "interrupt please",
      },
    });
    expect(checkControlProtocol(broken)).toEqual([
      "control.interruptLine must be null or one JSON line",
      "control.userMessageLine must be one JSON line",
    ]);
  });
});

describe("profile conformance checks on the test kit's JSONL test profile", () => {
  const transcript = {
    stdout: '{"type":"text","text":"O"}\n{"type":"tool_use","id":"t1","name":"Bash","input":{}}\n{"type":"result","text":"OK"}\n',
    exitCode: 0,
    expectOutcome: "result",
  } as const;
  const failed = { stdout: '{"type":"error","message":"401 invalid api key","code":"auth_error"}\n', exitCode: 1, expectOutcome: "error", expectErrorCode: "auth_error" } as const;

  it("passes every check but the silent exit, which it leaves to the kernel", () => {
    for (const profile of [jsonlTestProfile(), jsonlTestProfile({ control: true, classifyExit: true })]) {
      expect(checkTranscript(profile, transcript)).toEqual([]);
      expect(checkTranscript(profile, failed)).toEqual([]);
      expect(checkGarbage(profile, transcript)).toEqual([]);
      expect(checkInvocations(profile)).toEqual([]);
      expect(checkDiscovery(profile, { output: "asm-fake-cli 1.2.3", version: "1.2.3" })).toEqual([]);
      expect(checkControlProtocol(profile)).toEqual([]);
    }
    // Without classifyExit the profile's exit() returns nothing: a provider profile may not do that.
    expect(checkSilentExits(jsonlTestProfile())).toContain("exit 1 with stderr: expected one synthesized outcome, got 0");
  });
});
