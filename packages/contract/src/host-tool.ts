import type { z } from "zod";

/** What a host tool's `call` is given besides its input. */
export interface HostToolContext {
  /** The run whose agent called the tool. */
  readonly runId: string;
  /** The session of that run. */
  readonly sessionId: string;
  /** The provider whose CLI made the call (`claude`). */
  readonly provider: string;
  /**
   * Aborted when the call is no longer wanted: the run was interrupted or ended, or the CLI
   * dropped the request. A long tool should stop when it fires; its result is discarded.
   */
  readonly signal: AbortSignal;
}

/**
 * What a host tool returns, or a promise of it: a string (sent to the agent as text), or any
 * other value (sent as JSON text). Throwing or rejecting sends the agent an error result with
 * the message; the run goes on.
 */
export type HostToolOutput = unknown;

/**
 * A function on the host that the agent can call, defined once and served to whichever CLI runs
 * the session (over MCP, see `@asm/host-tools`). The input is validated with `inputSchema` before
 * `call` sees it; the agent gets the schema (as JSON Schema) in the tool list.
 *
 * @example
 * ```ts
 * const add = defineTool({
 *   name: "add",
 *   description: "Adds two numbers",
 *   inputSchema: z.object({ a: z.number(), b: z.number() }),
 *   call: ({ a, b }) => String(a + b),
 * });
 * ```
 */
export interface HostTool<Schema extends z.ZodType = z.ZodType> {
  /** The tool's name as the agent sees it: letters, digits, `_` and `-`, at most 64 characters. */
  readonly name: string;
  /** What the tool does, for the model. */
  readonly description: string;
  /** The input's schema (an object schema: MCP tool inputs are JSON objects). */
  readonly inputSchema: Schema;
  /** Runs the tool. */
  call(input: z.output<Schema>, context: HostToolContext): HostToolOutput;
}

/** Types a host tool's `call` from its schema; returns the definition unchanged. */
export function defineTool<Schema extends z.ZodType>(tool: HostTool<Schema>): HostTool<Schema> {
  return tool;
}

/** Any host tool, whatever its schema. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a list of tools with different input types
export type AnyHostTool = HostTool<any>;

/**
 * Where a run's host tools are served, as the kernel hands it to the backend and a profile
 * renders it into the CLI's MCP configuration. The bearer token is a secret: a profile puts it
 * in a temporary file or the environment, never on the command line.
 */
export interface HostToolsEndpoint {
  /** The MCP server name the CLI registers (`asm`). */
  readonly serverName: string;
  /** The streamable HTTP URL on loopback (`http://127.0.0.1:<port>/mcp`). */
  readonly url: string;
  /** The run's bearer token; every request without it is refused. */
  readonly bearerToken: string;
  /** The environment variable the core lane sets to the token, for CLIs that read it from there. */
  readonly bearerTokenEnv: string;
  /** The host tools' names. */
  readonly toolNames: readonly string[];
}
