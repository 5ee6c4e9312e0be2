import {
  backendEvent,
  isAsmErrorCode,
  stopReasonFields,
  type BackendEvent,
  type Capability,
  type ControlProtocol,
  type Invocation,
  type ProviderProfile,
  type VersionRange,
} from "@asm/contract";
import { classifyFailureText, isRecord } from "@asm/provider-utils";

/** Options of {@link jsonlTestProfile}. */
export interface JsonlTestProfileOptions {
  /** Profile id; default `fake`. */
  id?: string;
  /**
   * Speak a stdio control protocol (approvals, interrupts and follow-ups as JSON lines on stdin).
   * `interruptVia: "signal"` makes `interruptLine` return null (SIGINT is used instead).
   */
  control?: boolean | { interruptVia?: "line" | "signal"; endInputOnOutcome?: boolean };
  /** Let the parser classify a failed exit itself (otherwise `exit()` returns nothing). */
  classifyExit?: boolean;
  /** PATH names; default `["asm-fake-cli"]`. */
  binaryNames?: string[];
  /** Env var with an explicit path; default `ASM_FAKE_CLI_PATH`. */
  envVar?: string;
  knownPaths?: string[];
  /** Default `>=1.0.0 <2.0.0` (the fake CLI reports 1.2.3 unless told otherwise). */
  supportedVersions?: VersionRange;
  capabilities?: Capability[];
  /** The profile's `credentialEnv` (the credential variables the CLI inherits from the host). */
  credentialEnv?: string[];
}

/**
 * Provider options understood by the test profile's `buildInvocation`:
 * `promptVia` (`argv` | `stdin` | `file` | `env-file`, where the file's path travels in the
 * `ASM_TEST_PROMPT_FILE` variable; long prompts default to `file`), `args` (extra
 * arguments before the prompt), `keepStdinOpen`.
 */
export interface JsonlTestProviderOptions {
  promptVia?: "argv" | "stdin" | "file" | "env-file";
  args?: string[];
  keepStdinOpen?: boolean;
}

const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** The control protocol of the fake CLI's `stdin-echo` mode. */
function testControl(options: Exclude<JsonlTestProfileOptions["control"], boolean | undefined> | true): ControlProtocol {
  const settings = options === true ? {} : options;
  return {
    approvalReply: (details, decision, reason) =>
      JSON.stringify({ type: "approval_response", id: details.id, decision, ...(reason === undefined ? {} : { reason }) }),
    interruptLine: (requestId) => (settings.interruptVia === "signal" ? null : JSON.stringify({ type: "interrupt", requestId })),
    userMessageLine: (text) => JSON.stringify({ type: "user", text }),
    endInputOnOutcome: settings.endInputOnOutcome ?? true,
  };
}

/**
 * A generic {@link ProviderProfile} for the fake CLI (and any CLI printing the same JSONL). Its
 * parser maps:
 *
 * | line | event |
 * | --- | --- |
 * | `{"type":"text","text"}` | `assistant_delta` |
 * | `{"type":"message","text"}` | `assistant_message` |
 * | `{"type":"thinking","text"}` | `thinking` |
 * | `{"type":"tool_use","id","name","input"}` | `tool_use` |
 * | `{"type":"tool_result","id","content","is_error"}` | `tool_result` |
 * | `{"type":"approval","id","tool","input"}` | `approval_requested` (details = the line) |
 * | `{"type":"cost","input_tokens","output_tokens","cost_usd"}` | `cost_update` |
 * | `{"type":"result","text","stop_reason"}` | `result` |
 * | `{"type":"error","message","code","severity"}` | `error` |
 * | `{"type":"control_request","id"}` | no event; replies `{"type":"control_response","id"}` on stdin |
 * | any other `type` | `raw`, marked `metadata.unknownType` (the runtime warns once: `schema_drift`) |
 * | JSON that is not an object | `raw` |
 * | not JSON | `error`, code `parse_error`, severity `warning`, `details.line` |
 *
 * A `session_id` field on any line becomes the provider session id of that and later events.
 *
 * @example
 * ```ts
 * const backend = createCoreBackend(jsonlTestProfile({ control: true }));
 * ```
 */
export function jsonlTestProfile(options: JsonlTestProfileOptions = {}): ProviderProfile {
  const id = options.id ?? "fake";
  const control = options.control === undefined || options.control === false ? undefined : testControl(options.control);
  return {
    specificationVersion: "v1",
    id,
    cli: {
      binaryNames: options.binaryNames ?? ["asm-fake-cli"],
      envVar: options.envVar ?? "ASM_FAKE_CLI_PATH",
      knownPaths: () => [...(options.knownPaths ?? [])],
      installHint: "Use fakeCliPath() from @asm/testkit as the CLI path",
      versionArgs: ["--version"],
      parseVersion: (output) => /(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)/.exec(output)?.[1] ?? null,
      supportedVersions: options.supportedVersions ?? { min: "1.0.0", maxExclusive: "2.0.0" },
    },
    ...(options.credentialEnv === undefined ? {} : { credentialEnv: options.credentialEnv }),
    capabilities: options.capabilities ?? ["streaming", "tools", ...(control === undefined ? [] : (["approval", "interrupt"] as const))],
    control,
    buildInvocation(input): Invocation {
      const provider = input.options as JsonlTestProviderOptions;
      const extra = provider.args ?? [];
      const tooLong = Buffer.byteLength(input.prompt) > input.maxArgvPromptBytes;
      const via = provider.promptVia ?? (tooLong ? "file" : "argv");
      const closeStdin = control === undefined && provider.keepStdinOpen !== true;
      if (via === "stdin") return { args: [...extra, "--prompt-stdin"], env: {}, stdin: input.prompt, closeStdin };
      if (via === "env-file") {
        return {
          args: [...extra, "--prompt-env"],
          env: { ASM_TEST_PROMPT_FILE: "${file:prompt}" },
          closeStdin,
          files: [{ key: "prompt", content: input.prompt }],
        };
      }
      if (via === "file") {
        return {
          args: [...extra, "--prompt-file", "${file:prompt}"],
          env: {},
          closeStdin,
          files: [{ key: "prompt", content: input.prompt }],
        };
      }
      return { args: [...extra, "--prompt", input.prompt], env: {}, closeStdin };
    },
    createParser(context) {
      let sessionId: string | undefined;
      const parseLine = (text: string): BackendEvent[] => {
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch {
          return [
            backendEvent(
              "error",
              { message: `not a JSON line: ${text.slice(0, 200)}`, code: "parse_error", severity: "warning", details: { line: text } },
              { raw: text },
            ),
          ];
        }
        if (!isRecord(value)) return [backendEvent("raw", { stream: "stdout", content: value }, { raw: value })];
        sessionId = str(value.session_id) ?? sessionId;
        const extras = { raw: value, ...(sessionId === undefined ? {} : { providerSessionId: sessionId }) };
        const type = str(value.type) ?? "";
        switch (type) {
          case "text":
            return [backendEvent("assistant_delta", { content: str(value.text) ?? "" }, extras)];
          case "message":
            return [backendEvent("assistant_message", { content: [{ type: "text", text: str(value.text) ?? "" }] }, extras)];
          case "thinking":
            return [backendEvent("thinking", { content: str(value.text) ?? "" }, extras)];
          case "tool_use":
            return [
              backendEvent("tool_use", { toolName: str(value.name) ?? "tool", toolCallId: str(value.id) ?? "", input: value.input ?? {} }, extras),
            ];
          case "tool_result":
            return [
              backendEvent(
                "tool_result",
                { toolCallId: str(value.id) ?? "", content: value.content ?? null, isError: value.is_error === true },
                extras,
              ),
            ];
          case "approval":
            return [
              backendEvent("approval_requested", { approvalId: str(value.id) ?? "", subject: str(value.tool) ?? "tool", details: value }, extras),
            ];
          case "cost":
            return [
              backendEvent(
                "cost_update",
                {
                  inputTokens: Number(value.input_tokens ?? 0),
                  outputTokens: Number(value.output_tokens ?? 0),
                  costUsd: typeof value.cost_usd === "number" ? value.cost_usd : null,
                },
                extras,
              ),
            ];
          case "result":
            return [
              backendEvent(
                "result",
                {
                  status: "success",
                  ...(str(value.text) === undefined ? {} : { text: str(value.text) }),
                  ...(str(value.stop_reason) === undefined ? {} : stopReasonFields(str(value.stop_reason))),
                },
                extras,
              ),
            ];
          case "error": {
            const severity = str(value.severity);
            return [
              backendEvent(
                "error",
                {
                  message: str(value.message) ?? "error",
                  code: isAsmErrorCode(value.code) ? value.code : "unknown",
                  severity: severity === "info" || severity === "warning" || severity === "fatal" ? severity : "error",
                },
                extras,
              ),
            ];
          }
          case "control_request":
            context.reply(JSON.stringify({ type: "control_response", id: value.id ?? null }));
            return [];
          default:
            return [backendEvent("raw", { stream: "stdout", content: value }, { ...extras, metadata: { unknownType: type } })];
        }
      };
      return {
        line: parseLine,
        stderr: (chunk) => [backendEvent("stderr", { content: chunk })],
        exit(info) {
          if (options.classifyExit !== true || info.outcomeSeen || (info.exitCode === 0 && info.signal === null)) return [];
          return [
            backendEvent("error", {
              message: `${id} exited with ${info.signal ?? `code ${info.exitCode}`}`,
              code: classifyFailureText(info.stderrTail, "transport_exit"),
              severity: "error",
              exitCode: info.exitCode,
              stderrTail: info.stderrTail,
              details: { classifiedBy: "parser" },
            }),
          ];
        },
      };
    },
  };
}
