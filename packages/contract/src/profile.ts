import type { Capability } from "./capabilities.js";
import type { Continuation } from "./backend.js";
import type { HostToolsEndpoint } from "./host-tool.js";
import type { BackendEvent } from "./event.js";
import type { ApprovalDecision, PermissionMode } from "./permission.js";
import type { SpecificationVersion } from "./specification.js";

/** The options a profile receives when it does not say which: any validated object. */
export type AnyProfileOptions = Record<string, unknown>;

/** A semver range in the form `>=min <max`. */
export interface VersionRange {
  /** Lowest supported version (inclusive). */
  min: string;
  /** First unsupported version (exclusive), if any. */
  maxExclusive?: string;
}

/** How to find and identify a provider's CLI binary. Discovery itself is done by the kernel. */
export interface CliDiscovery {
  /** Executable names to look for on PATH (`claude`). */
  binaryNames: readonly string[];
  /** The environment variable holding an explicit path (`CLAUDE_CLI_PATH`). */
  envVar: string;
  /** Well-known install locations, given the environment and platform. */
  knownPaths(env: Readonly<Record<string, string | undefined>>, platform: string): string[];
  /** One line telling a person how to install it. */
  installHint: string;
  /** Arguments that print the version. */
  versionArgs: readonly string[];
  /** Extracts a semver from the version output. */
  parseVersion(output: string): string | null;
  /** The versions this profile was verified against. */
  supportedVersions: VersionRange;
}

/**
 * What `buildInvocation` is given. `Options` is the provider's validated option type: the kernel
 * parsed the caller's options with the provider's schema (plus the common keys) and ran its
 * `normalizeOptions` once, so the profile reads `options` as they are and never parses them again.
 */
export interface InvocationInput<Options extends object = AnyProfileOptions> {
  prompt: string;
  /** Validated and normalized options (the provider's keys and the common keys). */
  options: Options;
  permissionMode?: PermissionMode;
  nativePermissionMode?: string;
  continuation?: Continuation;
  /** Prompts longer than this (bytes) must not go on the command line. */
  maxArgvPromptBytes: number;
  /** The run's host tools: the profile adds this MCP server to the CLI's configuration. */
  hostTools?: HostToolsEndpoint;
}

/**
 * How to run the CLI for one run. Arguments and environment values may contain `${file:<key>}`
 * tokens: the kernel writes each of `files` to a private temporary file (mode 0600), substitutes
 * its path, and removes it when the run ends, however it ends.
 */
export interface Invocation {
  args: string[];
  /** Variables added to the environment (values `undefined` remove a variable). */
  env: Record<string, string | undefined>;
  /** Data written to stdin at start (a long prompt, protocol opening lines). */
  stdin?: string;
  /** Close stdin after writing `stdin` (false keeps it open for a stdio protocol). */
  closeStdin: boolean;
  /**
   * Temporary files the arguments refer to. `securePath`: the CLI reads this file only from a
   * folder that no other user can write to, up to the root (Gemini CLI skips a system defaults
   * file under `/tmp`), so the kernel writes the run's files to its private files folder instead.
   */
  files?: Array<{ key: string; content: string; securePath?: boolean }>;
}

/** How a CLI process ended. */
export interface ExitInfo {
  exitCode: number | null;
  signal: string | null;
  /** The last part of stderr (a few KB). */
  stderrTail: string;
  /** Whether the parser had already emitted the run's outcome. */
  outcomeSeen: boolean;
}

/** Services the kernel gives a parser. */
export interface ParserContext<Options extends object = AnyProfileOptions> {
  provider: string;
  /** Writes one line to the CLI's stdin (for a stdio control protocol's automatic replies). */
  reply(line: string): void;
  /**
   * What the run's invocation was built from (validated options, permission mode, continuation),
   * for parsers whose decoding depends on it: Codex decodes its final message as structured output
   * only when an output schema was requested, and prices usage from the chosen model.
   */
  input?: InvocationInput<Options>;
}

/**
 * A stateful parser of one run's output. An event type the parser does not know becomes a `raw`
 * event with `metadata.unknownType` set to the native type name; the runtime then raises one
 * `warning` (code `schema_drift`) per unknown type per run.
 */
export interface ProfileParser {
  /** One complete stdout line (without the newline). Non-JSON lines become `error` (parse_error) events. */
  line(text: string): BackendEvent[];
  /**
   * A line's value already parsed (an SDK that hands over the CLI's messages as objects): the same
   * events as `line(JSON.stringify(value))`, without serializing and parsing it again. Optional:
   * callers fall back to `line`. The parser must not change the value or anything in it: its
   * events' `raw` may be that very object.
   */
  value?(value: unknown): BackendEvent[];
  /** A chunk of stderr. */
  stderr(chunk: string): BackendEvent[];
  /** The process ended; returns the synthesized outcome when the CLI printed none. */
  exit(info: ExitInfo): BackendEvent[];
}

/** A stdio control protocol spoken over the CLI's stdin/stdout (Claude's stream-json input mode). */
export interface ControlProtocol {
  /** Line that answers an approval request, given the request's `approval_requested` details. */
  approvalReply(details: Record<string, unknown>, decision: ApprovalDecision, reason?: string): string;
  /** Line that interrupts the current turn without killing the process, or null to use SIGINT. */
  interruptLine(requestId: string): string | null;
  /** Line carrying a follow-up user message. */
  userMessageLine(text: string): string;
  /** Close stdin once the outcome arrives so the CLI exits by itself. */
  endInputOnOutcome: boolean;
}

/**
 * A CLI provider profile: pure functions and data describing how to drive one CLI. The kernel's
 * core lane supplies the process handling. `Options` is the validated option type the profile
 * reads (see {@link InvocationInput}).
 */
export interface ProviderProfile<Options extends object = AnyProfileOptions> {
  /** The contract version this profile implements (`"v1"`); the kernel refuses any other. */
  readonly specificationVersion: SpecificationVersion;
  /** Profile id (`claude`). */
  id: string;
  cli: CliDiscovery;
  capabilities: readonly Capability[];
  /**
   * The credential variables this CLI reads (`ANTHROPIC_API_KEY`). The core lane hands a CLI no
   * other vendor's credential from the host environment: known API key variables not listed here
   * reach it only when the caller sets them in the run's `env`. Absent: none is inherited.
   */
  credentialEnv?: readonly string[];
  /** The command-line arguments, environment and stdin for a run. */
  buildInvocation(input: InvocationInput<Options>): Invocation;
  /** A fresh parser for one run. */
  createParser(context: ParserContext<Options>): ProfileParser;
  /** The stdio control protocol, when the invocation keeps stdin open for one. */
  control?: ControlProtocol;
  /**
   * How this CLI takes the run's host tools. Present only when `buildInvocation` wires
   * `InvocationInput.hostTools` into the CLI's MCP configuration.
   */
  hostTools?: HostToolsSupport;
}

/** How a CLI takes host tools over MCP (see {@link ProviderProfile.hostTools}). */
export interface HostToolsSupport {
  /**
   * The name the CLI gives tool `tool` of MCP server `server` in its events (Claude:
   * `mcp__asm__add`); the kernel reports host tool calls under the host tool's own name.
   */
  toolName(server: string, tool: string): string;
  /**
   * The CLI reads a result's text as structured content when it parses as JSON and refuses JSON
   * that is not an object (Gemini CLI): such results also carry `structuredContent`.
   */
  structuredJsonText?: boolean;
}
