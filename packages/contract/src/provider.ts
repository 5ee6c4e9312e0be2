import type { z } from "zod";
import type { LaneFeatures, ProviderBackend } from "./backend.js";
import type { Capability } from "./capabilities.js";
import type { WithoutKernelKeys } from "./option-keys.js";
import type { PermissionModeTable } from "./permission.js";
import type { AnyProfileOptions, ProviderProfile } from "./profile.js";
import type { SpecificationVersion } from "./specification.js";

/** Support of one common feature (such as `ollama`) by one provider. */
export interface CommonFeatureSupport {
  /** Whether the provider supports the feature. */
  supported: boolean;
  /** The shared option keys that make up the feature's surface. */
  commonOptions: readonly string[];
  /** Provider options the feature sets when active. */
  activation?: Record<string, unknown>;
  /** How models are chosen under the feature. */
  modelStrategy?: string;
  /** Defaults and validated models. */
  compatibility?: Record<string, unknown>;
  /** Why it is unsupported, or caveats. */
  notes?: string;
}

/** A provider's feature manifest. */
export interface ProviderFeatures {
  /** Common features keyed by name. */
  commonFeatures: Record<string, CommonFeatureSupport>;
}

/** Per-token prices in USD. */
export interface ModelPricing {
  inputPerToken: number;
  outputPerToken: number;
  cacheReadPerToken?: number;
  cacheWritePerToken?: number;
}

/** One model a provider knows. */
export interface ModelEntry {
  id: string;
  aliases?: readonly string[];
  pricing?: ModelPricing;
  description?: string;
}

/** The models a provider knows; other ids pass through unvalidated. */
export interface ModelCatalog {
  defaultModel: string | null;
  models: readonly ModelEntry[];
}

/** Admission limits per session. */
export interface AdmissionProfile {
  maxConcurrentRuns: number;
  maxQueuedRuns: number;
}

/**
 * A provider's option schema: a strict zod object whose input type is `Input`. The kernel merges
 * it with the common options and validates once.
 */
export type ProviderOptionsSchema<Input extends object = Record<string, unknown>> = z.ZodObject & z.ZodType<unknown, Input>;

/**
 * What a provider package hands to `createAsm({ providers })`.
 *
 * - `Name` is the provider's literal name, so `createAsm` can tell providers apart in the types.
 * - `Options` is what the provider's own functions (`normalizeOptions`, the profile) receive: the
 *   validated options, its schema's keys and the common keys it reads.
 * - `OptionsInput` is what a caller writes (the schema's input type); `createAsm` offers exactly
 *   these keys, plus the kernel's and the common ones, on the provider's sessions and runs. It
 *   may not declare a kernel key ({@link WithoutKernelKeys}).
 */
export interface ProviderDefinition<
  Name extends string = string,
  Options extends object = AnyProfileOptions,
  OptionsInput extends object & WithoutKernelKeys = Record<string, unknown>,
> {
  /** The contract version this provider implements (`"v1"`); the kernel refuses any other. */
  readonly specificationVersion: SpecificationVersion;
  /** Canonical name (`claude`, `codex`, `gemini`, `amp`). */
  name: Name;
  /** Name for people. */
  displayName: string;
  /** Other names accepted for the provider (`codex_exec`). */
  aliases?: readonly string[];
  /**
   * Strict zod schema of the provider-specific options (unknown keys fail). The kernel merges it
   * with the common options; it may declare neither a common key nor a kernel key.
   */
  optionsSchema: ProviderOptionsSchema<OptionsInput>;
  permissionModes: PermissionModeTable;
  features: ProviderFeatures;
  models: ModelCatalog;
  admission: AdmissionProfile;
  capabilities: readonly Capability[];
  /** The CLI profile the core lane drives. Absent for providers with only a custom backend. */
  profile?: ProviderProfile<Options>;
  /** A backend replacing the core lane's subprocess runtime (tests, exotic providers). */
  coreBackend?: ProviderBackend;
  /**
   * Provider-specific normalization after validation (the Ollama surface, model aliases), run once
   * by the kernel; its result is what the profile and backends receive. Throws
   * `AsmError("config_invalid")` on conflicts, `unsupported` for what the provider cannot do.
   */
  normalizeOptions?(options: Options): Options;
}

/** Any provider definition, whatever its option types. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyProviderDefinition = ProviderDefinition<string, any, any>;

/** Availability of an SDK lane, probed at runtime. */
export interface LaneAvailability {
  available: boolean;
  /** Why not, as a stable word: the optional peer is missing, or present but unusable. */
  status?: "not_installed" | "broken";
  /** How to make the lane available (`npm install @anthropic-ai/claude-agent-sdk`). */
  hint?: string;
  /** Why it is unavailable (missing optional peer, broken package…). */
  reason?: string;
}

/** What an SDK-lane package hands to `createAsm({ lanes })`. */
export interface SdkLaneDefinition {
  /** The contract version this lane implements (`"v1"`); the kernel refuses any other. */
  readonly specificationVersion: SpecificationVersion;
  /** The provider this lane serves. */
  provider: string;
  /** The vendor runtime's name (`@anthropic-ai/claude-agent-sdk`). */
  runtime: string;
  capabilities: readonly Capability[];
  /** Native lane features (how approvals and interrupts work, session controls). */
  features?: LaneFeatures;
  /** Probes (once, cached by the kernel) whether the vendor SDK can be loaded. */
  probe(): Promise<LaneAvailability>;
  backend: ProviderBackend;
}
