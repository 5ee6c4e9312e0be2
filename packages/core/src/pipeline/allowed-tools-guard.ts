import { AsmError } from "@asm/contract";
import { pass, type PipelinePlug } from "./plug.js";

/**
 * Fails the run when the agent calls a tool that is not on the allow-list. The kernel puts it
 * first in the pipeline whenever `allowedTools` is non-empty.
 */
export function allowedToolsGuard(allowedTools: readonly string[]): PipelinePlug {
  const allowed = new Set(allowedTools);
  return {
    name: "allowed-tools-guard",
    handle(event) {
      if (event.kind === "tool_use" && !allowed.has(event.payload.toolName)) {
        return {
          action: "fail",
          error: new AsmError("guardrail_blocked", `Tool blocked by allowlist: ${event.payload.toolName}`, {
            details: { toolName: event.payload.toolName, allowedTools: [...allowed] },
          }),
        };
      }
      return pass(event);
    },
  };
}
