// The routing extension: choose among provider candidates, track their health, and fail a run
// over to the next provider when the first cannot serve it.

/** The router and what it answers. */
export { createRouter } from "./router.js";
export type { Router, RouteStream, Selection } from "./router.js";
export type { RouteAttempt } from "./failover-stream.js";
/** Options and the default failover codes. */
export { DEFAULT_RETRY_ON } from "./router-config.js";
export type { RouterOptions } from "./router-config.js";
/** Candidates. */
export type { CandidateInput, Candidate } from "./candidate.js";
/** Strategies. */
export { roundRobinStrategy, priorityStrategy, weightedStrategy } from "./strategies.js";
export type { RoutingStrategy, StrategyName } from "./strategies.js";
/** Health. */
export type { CandidateHealth, HealthStatus, FailureReport } from "./health-tracker.js";
/** Reading a provider's reset time from a failed run's events. */
export { resetTimeOf } from "./reset-time.js";
