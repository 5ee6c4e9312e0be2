import { AsmError, type AnyProviderDefinition, type AsmEvent, type RunMetadata } from "@asm/contract";
import { checkHostTools, HOST_TOOLS_SERVER_NAME, type CheckedHostTool } from "@asm/host-tools";
import type { ResolvedExecution } from "../execution/execution-config.js";
import { pass, type PipelinePlug } from "../pipeline/plug.js";

/** A run's host tools, keyed by name. */
export type RunHostTools = ReadonlyMap<string, CheckedHostTool>;

function unsupported(message: string): AsmError {
  return new AsmError("config_invalid", message, { details: { key: "hostTools" } });
}

/**
 * The host tools of one run: the runtime's (`createAsm({ tools })`), with the session's
 * `hostTools` replacing any of the same name. Undefined when there are none. Host tools reach
 * the agent through the CLI's MCP configuration on this machine's loopback, so a run that cannot
 * take them there fails closed (`config_invalid`, key `hostTools`): an SDK lane, a remote node, a
 * remote surface, or a profile that does not wire MCP servers.
 */
export function resolveRunHostTools(
  runtimeTools: RunHostTools | undefined,
  sessionTools: unknown,
  provider: AnyProviderDefinition,
  execution: ResolvedExecution,
  metadata: RunMetadata,
  backendOverride: boolean,
): RunHostTools | undefined {
  const merged = new Map(runtimeTools ?? []);
  if (sessionTools !== undefined) for (const [name, tool] of checkHostTools(sessionTools, "hostTools")) merged.set(name, tool);
  if (merged.size === 0) return undefined;
  // A caller's own backend receives the endpoint and decides for itself (the contract says it must refuse what it cannot honour).
  if (backendOverride) return merged;
  if (execution.config.executionMode !== "local") {
    throw unsupported(`host tools are served on this host's loopback and cannot reach a ${execution.config.executionMode} run`);
  }
  if (metadata.lane !== "core") throw unsupported(`host tools are served to the CLI (core lane); the ${String(metadata.lane)} lane of ${provider.name} cannot take them yet`);
  if (execution.config.executionSurface.kind !== "local") {
    throw unsupported(`host tools are served on this host's loopback; the ${execution.config.executionSurface.kind} surface cannot reach them`);
  }
  if (provider.profile?.hostTools === undefined) throw unsupported(`the ${provider.name} profile cannot hand MCP servers to its CLI, so it cannot take host tools`);
  return merged;
}

/** The tool's own input: Codex reports an MCP call's input as `{ arguments }`. */
function toolInput(input: unknown): unknown {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return input;
  const keys = Object.keys(input);
  const args = (input as { arguments?: unknown }).arguments;
  return keys.length === 1 && keys[0] === "arguments" && typeof args === "object" && args !== null ? args : input;
}

/**
 * Reports the CLI's calls of host tools under the host tool's own name with `toolKind: "mcp"`
 * (the CLI's name, `mcp__asm__add` for Claude, stays in `nativeToolName`). It runs first in the
 * pipeline, so allow-lists, policies and approval questions (`subject`) name host tools as the
 * host defined them.
 */
export function hostToolEvents(provider: AnyProviderDefinition, tools: RunHostTools): PipelinePlug {
  const support = provider.profile?.hostTools;
  const byNative = new Map<string, string>();
  for (const name of tools.keys()) byNative.set(support ? support.toolName(HOST_TOOLS_SERVER_NAME, name) : name, name);
  /** Host tool name by the CLI's call id, for results that do not repeat the name. */
  const calls = new Map<string, string>();
  return {
    name: "host-tool-events",
    handle(event: AsmEvent) {
      if (event.kind === "tool_use") {
        const hostName = byNative.get(event.payload.toolName);
        if (hostName === undefined) return pass(event);
        calls.set(event.payload.toolCallId, hostName);
        return pass({ ...event, payload: { ...event.payload, toolName: hostName, toolKind: "mcp", nativeToolName: event.payload.toolName, input: toolInput(event.payload.input) } });
      }
      if (event.kind === "tool_result") {
        const native = event.payload.toolName;
        const hostName = calls.get(event.payload.toolCallId) ?? (native === undefined ? undefined : byNative.get(native));
        if (hostName === undefined) return pass(event);
        calls.delete(event.payload.toolCallId);
        return pass({
          ...event,
          payload: { ...event.payload, toolName: hostName, toolKind: "mcp", ...(native === undefined || native === hostName ? {} : { nativeToolName: native }) },
        });
      }
      if (event.kind === "approval_requested") {
        // The CLI asks before calling an MCP tool like any other: the question names the host tool.
        const hostName = byNative.get(event.payload.subject);
        if (hostName === undefined) return pass(event);
        return pass({ ...event, payload: { ...event.payload, subject: hostName, details: { ...event.payload.details, toolKind: "mcp", nativeToolName: event.payload.subject } } });
      }
      return pass(event);
    },
  };
}
