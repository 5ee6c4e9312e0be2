import { AsmError, isAsmErrorCode, type AsmErrorCode } from "@asm/contract";
import type { Asm } from "@asm/core";
import { normalizeCandidates, type Candidate, type CandidateInput } from "./candidate.js";
import { resolveStrategy, type RoutingStrategy, type StrategyName } from "./strategies.js";

/** The failures that fail a run over to the next candidate unless `retryOn` says otherwise. */
export const DEFAULT_RETRY_ON: readonly AsmErrorCode[] = ["rate_limit", "quota_exhausted", "transport_exit", "cli_not_found", "auth_error"];

/** Options of `createRouter`. */
export interface RouterOptions {
  /** The runtime the runs go to; it must have every candidate's provider registered. */
  asm: Asm;
  /** The providers to choose from, in order (a provider name is shorthand for `{ provider }`). */
  candidates: ReadonlyArray<CandidateInput | string>;
  /** `round_robin` (default), `priority`, `weighted`, or your own strategy. */
  strategy?: StrategyName | RoutingStrategy;
  /** How long a failed candidate is excluded (ms, default 30 000); doubles per consecutive failure. */
  failureCooldownMs?: number;
  /** The longest exclusion a run of failures can earn (ms, default 10 minutes). */
  maxCooldownMs?: number;
  /** Error codes that fail a run over to the next candidate (default {@link DEFAULT_RETRY_ON}). */
  retryOn?: readonly AsmErrorCode[];
  /**
   * Fail over even after the agent produced output or called tools. Off by default: a partial run
   * may already have changed files, and re-running the prompt elsewhere would do it twice.
   */
  failoverAfterOutput?: boolean;
  /**
   * What to do when a provider reports a usage limit with a reset time: `failover` (default) to
   * the next candidate, or `wait` until the reset (when it is within `maxWaitMs`) and run again on
   * the same provider.
   */
  onRateLimit?: "failover" | "wait";
  /** The longest `onRateLimit: "wait"` sleeps for one reset (ms, default 5 minutes). */
  maxWaitMs?: number;
  /** Clock (epoch ms) for cooldowns and reset times; tests pass a fake one. */
  clock?: () => number;
  /** How waiting happens; tests pass one that advances their clock. */
  sleep?: (ms: number) => Promise<void>;
}

/** Validated router settings. */
export interface RouterConfig {
  asm: Asm;
  candidates: Candidate[];
  strategy: RoutingStrategy;
  failureCooldownMs: number;
  maxCooldownMs: number;
  retryOn: ReadonlySet<string>;
  failoverAfterOutput: boolean;
  onRateLimit: "failover" | "wait";
  maxWaitMs: number;
  clock: () => number;
  sleep: (ms: number) => Promise<void>;
}

function invalid(key: string, message: string): AsmError {
  return new AsmError("config_invalid", `${key} ${message}`, { details: { key } });
}

function nonNegative(value: unknown, key: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) throw invalid(key, "must be a non-negative number of milliseconds");
  return value;
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Validates `createRouter`'s options; every problem is `config_invalid` naming the field. */
export function resolveRouterConfig(options: RouterOptions): RouterConfig {
  if (typeof options !== "object" || options === null) throw invalid("options", "must be an object");
  const asm = options.asm as unknown;
  if (typeof asm !== "object" || asm === null || typeof (asm as Asm).stream !== "function") throw invalid("asm", "must be an ASM runtime (createAsm)");
  const candidates = normalizeCandidates(options.candidates);
  const registered = new Set(options.asm.providers());
  candidates.forEach((candidate) => {
    if (!registered.has(candidate.provider)) {
      throw invalid(`candidates[${candidate.index}].provider`, `names ${JSON.stringify(candidate.provider)}, which the runtime does not have (registered: ${[...registered].join(", ")})`);
    }
  });
  const retryOn = options.retryOn ?? DEFAULT_RETRY_ON;
  if (!Array.isArray(retryOn)) throw invalid("retryOn", "must be an array of error codes");
  retryOn.forEach((code: unknown, index) => {
    if (!isAsmErrorCode(code)) throw invalid(`retryOn[${index}]`, `is not an ASM error code: ${JSON.stringify(code)}`);
  });
  if (options.failoverAfterOutput !== undefined && typeof options.failoverAfterOutput !== "boolean") throw invalid("failoverAfterOutput", "must be a boolean");
  const onRateLimit = options.onRateLimit ?? "failover";
  if (onRateLimit !== "failover" && onRateLimit !== "wait") throw invalid("onRateLimit", 'must be "failover" or "wait"');
  if (options.clock !== undefined && typeof options.clock !== "function") throw invalid("clock", "must be a function returning epoch milliseconds");
  if (options.sleep !== undefined && typeof options.sleep !== "function") throw invalid("sleep", "must be a function (ms) => Promise<void>");
  const failureCooldownMs = nonNegative(options.failureCooldownMs, "failureCooldownMs", 30_000);
  const maxCooldownMs = nonNegative(options.maxCooldownMs, "maxCooldownMs", 600_000);
  if (maxCooldownMs < failureCooldownMs) throw invalid("maxCooldownMs", "must be at least failureCooldownMs");
  return {
    asm: options.asm,
    candidates,
    strategy: resolveStrategy(options.strategy),
    failureCooldownMs,
    maxCooldownMs,
    retryOn: new Set(retryOn),
    failoverAfterOutput: options.failoverAfterOutput ?? false,
    onRateLimit,
    maxWaitMs: nonNegative(options.maxWaitMs, "maxWaitMs", 300_000),
    clock: options.clock ?? Date.now,
    sleep: options.sleep ?? defaultSleep,
  };
}
