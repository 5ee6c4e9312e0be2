// The policy extension: rules over tool use and budgets (output tokens, cost, turns, wall time),
// enforced by a pipeline plug with the actions warn, request_approval and cancel.

/** Creating a policy, and what it holds. */
export { createPolicy } from "./policy.js";
export type { Policy } from "./policy.js";
export type { PolicyOptions, PolicyAction } from "./policy-config.js";
export type { PolicyRule, Violation } from "./violations.js";
export type { PolicyUsage } from "./usage-ledger.js";
