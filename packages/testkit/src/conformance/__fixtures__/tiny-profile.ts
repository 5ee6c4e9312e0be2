import { backendEvent, type BackendEvent, type PermissionModeTable, type ProviderProfile } from "@asm/contract";
import { classifyFailureText } from "@asm/provider-utils";

// A minimal, correct profile of an imaginary `tiny` CLI that prints one JSON object per line:
// {"type":"session","id"} / {"type":"text","text"} / {"type":"done","text"} / {"type":"fail","message"}.

/** The permission table of the imaginary CLI. */
export const tinyPermissionModes: PermissionModeTable = {
  default: { nativeMode: "ask", cliArgs: [], label: "Ask" },
  auto: { nativeMode: "auto", cliArgs: ["--auto"], label: "Auto" },
  bypass: { nativeMode: "yolo", cliArgs: ["--yolo"], label: "Yolo" },
  plan: { unsupported: "tiny has no plan mode" },
};

/** Builds the profile; `overrides` lets a test break one part of it. */
export function tinyProfile(overrides: Partial<ProviderProfile> = {}): ProviderProfile {
  return {
    specificationVersion: "v1",
    id: "tiny",
    capabilities: ["streaming", "resume"],
    cli: {
      binaryNames: ["tiny"],
      envVar: "TINY_CLI_PATH",
      knownPaths: (env) => (env.HOME === undefined ? [] : [`${env.HOME}/.tiny/bin/tiny`]),
      installHint: "npm install -g tiny-cli",
      versionArgs: ["--version"],
      parseVersion: (output) => /(\d+\.\d+\.\d+)/.exec(output)?.[1] ?? null,
      supportedVersions: { min: "1.0.0", maxExclusive: "2.0.0" },
    },
    buildInvocation(input) {
      const args = ["run", "--json"];
      const mode = input.permissionMode === undefined ? undefined : tinyPermissionModes[input.permissionMode];
      if (mode !== undefined && !("unsupported" in mode)) args.push(...mode.cliArgs);
      if (input.continuation?.strategy === "exact") args.push("--resume", input.continuation.providerSessionId);
      if (Buffer.byteLength(input.prompt) > input.maxArgvPromptBytes) {
        return { args: [...args, "--stdin"], env: {}, stdin: input.prompt, closeStdin: true };
      }
      return { args: [...args, "--", input.prompt], env: {}, closeStdin: true };
    },
    createParser() {
      let outcome = false;
      return {
        line(text): BackendEvent[] {
          let value: unknown;
          try {
            value = JSON.parse(text);
          } catch (_error) {
            return [backendEvent("error", { code: "parse_error", severity: "warning", message: `not JSON: ${text.slice(0, 80)}` })];
          }
          if (typeof value !== "object" || value === null || Array.isArray(value)) return [];
          const event = value as Record<string, unknown>;
          if (event.type === "session" && typeof event.id === "string") return [backendEvent("session_updated", { providerSessionId: event.id })];
          if (event.type === "text" && typeof event.text === "string") return [backendEvent("assistant_delta", { content: event.text })];
          if (event.type === "done") {
            outcome = true;
            return [backendEvent("result", { text: typeof event.text === "string" ? event.text : "" })];
          }
          if (event.type === "fail") {
            outcome = true;
            const message = typeof event.message === "string" ? event.message : "failed";
            return [backendEvent("error", { code: classifyFailureText(message, "unknown"), message })];
          }
          return [backendEvent("raw", { stream: "stdout", content: event })];
        },
        stderr: (chunk) => [backendEvent("stderr", { content: chunk })],
        exit(info) {
          if (outcome || info.outcomeSeen) return [];
          outcome = true;
          return [
            backendEvent("error", {
              code: classifyFailureText(info.stderrTail),
              message: `tiny exited (${info.exitCode ?? info.signal}) without a result`,
              exitCode: info.exitCode,
            }),
          ];
        },
      };
    },
    control: {
      approvalReply: (details, decision) => JSON.stringify({ type: "approval", id: details.requestId, decision }),
      interruptLine: (requestId) => JSON.stringify({ type: "interrupt", id: requestId }),
      userMessageLine: (text) => JSON.stringify({ type: "user", text }),
      endInputOnOutcome: true,
    },
    ...overrides,
  };
}

/** Transcripts of the imaginary CLI. */
export const tinyTranscripts = {
  text: {
    name: "text",
    stdout: '{"type":"session","id":"s-1"}\n{"type":"text","text":"O"}\n{"type":"text","text":"K"}\n{"type":"done","text":"OK"}\n',
    exitCode: 0,
    expectOutcome: "result",
  },
  authError: {
    name: "401",
    stdout: '{"type":"session","id":"s-2"}\n{"type":"fail","message":"401 invalid api key"}\n',
    stderr: "request failed\n",
    exitCode: 1,
    expectOutcome: "error",
    expectErrorCode: "auth_error",
  },
  crash: {
    name: "crash without output",
    stdout: "",
    stderr: "Segmentation fault\n",
    exitCode: 139,
    expectOutcome: "error",
    expectErrorCode: "transport_exit",
  },
} as const;
