import { AsmError } from "@asm/contract";
import { pass, type PipelinePlug } from "./plug.js";

/** Options of {@link policyGuard}. */
export interface PolicyGuardOptions {
  /** Tool names the agent may not call. */
  disallowTools?: readonly string[];
  /** Fail a run whose result reports more output tokens than this. */
  maxOutputTokens?: number;
}

/** Fails the run on a disallowed tool call or on a result over the output-token budget. */
export function policyGuard(options: PolicyGuardOptions): PipelinePlug {
  const denied = new Set(options.disallowTools ?? []);
  return {
    name: "policy-guard",
    handle(event) {
      if (event.kind === "tool_use" && denied.has(event.payload.toolName)) {
        return { action: "fail", error: new AsmError("guardrail_blocked", `Tool disallowed by policy: ${event.payload.toolName}`, { details: { toolName: event.payload.toolName } }) };
      }
      const outputTokens = event.kind === "result" ? event.payload.usage?.outputTokens : event.kind === "cost_update" ? event.payload.outputTokens : undefined;
      if (options.maxOutputTokens !== undefined && outputTokens !== undefined && outputTokens > options.maxOutputTokens) {
        return {
          action: "fail",
          error: new AsmError("guardrail_blocked", `Output tokens ${outputTokens} exceed the budget of ${options.maxOutputTokens}`, {
            details: { outputTokens, maxOutputTokens: options.maxOutputTokens },
          }),
        };
      }
      return pass(event);
    },
  };
}
