import type { z } from "zod";
import type { ProviderBackend } from "./backend.js";
import type { Capability } from "./capabilities.js";
import type { PermissionModeTable } from "./permission.js";
import type { ProviderProfile } from "./profile.js";

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

/** What a provider package hands to `createAsm({ providers })`. */
export interface ProviderDefinition {
  /** Canonical name (`claude`, `codex`, `gemini`, `amp`). */
  name: string;
  /** Name for people. */
  displayName: string;
  /** Other names accepted for the provider (`codex_exec`). */
  aliases?: readonly string[];
  /**
   * Strict zod schema of the provider-specific options (unknown keys fail). The kernel merges it
   * with the common options.
   */
  optionsSchema: z.ZodObject;
  permissionModes: PermissionModeTable;
  features: ProviderFeatures;
  models: ModelCatalog;
  admission: AdmissionProfile;
  capabilities: readonly Capability[];
  /** The CLI profile the core lane drives. Absent for providers with only a custom backend. */
  profile?: ProviderProfile;
  /** A backend replacing the core lane's subprocess runtime (tests, exotic providers). */
  coreBackend?: ProviderBackend;
  /**
   * Provider-specific normalization after validation (the Ollama surface, model aliases). Throws
   * `AsmError("config_invalid")` on conflicts.
   */
  normalizeOptions?(options: Record<string, unknown>): Record<string, unknown>;
}

/** Availability of an SDK lane, probed at runtime. */
export interface LaneAvailability {
  available: boolean;
  /** Why it is unavailable (missing optional peer, broken package…). */
  reason?: string;
}

/** What an SDK-lane package hands to `createAsm({ lanes })`. */
export interface SdkLaneDefinition {
  /** The provider this lane serves. */
  provider: string;
  /** The vendor runtime's name (`@anthropic-ai/claude-agent-sdk`). */
  runtime: string;
  capabilities: readonly Capability[];
  /** Probes (once, cached by the kernel) whether the vendor SDK can be loaded. */
  probe(): Promise<LaneAvailability>;
  backend: ProviderBackend;
}
