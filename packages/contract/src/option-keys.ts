/**
 * The option names the kernel owns. Options handed to `startSession`, `stream` and `query` are
 * split by name: these go to the kernel, every other key is a provider option. A provider's option
 * schema may therefore declare none of them, and cannot: `ProviderDefinition` refuses them at
 * compile time and the kernel's registry at `createAsm`.
 */

/** Keys that shape where and how a run executes (resolved with execution precedence). */
export const EXECUTION_OPTION_KEYS = [
  "executionMode",
  "executionSurface",
  "executionEnvironment",
  "workspaceRoot",
  "allowedTools",
  "approvalPosture",
  "permissionMode",
  "lane",
  "driverOpts",
  "streamTimeoutMs",
  "queueTimeoutMs",
  "transportCallTimeoutMs",
  "remote",
] as const;

/** Keys that configure one run of the kernel. */
export const RUN_OPTION_KEYS = [
  "runId",
  "continuation",
  "pipeline",
  "approvalTimeoutMs",
  "backend",
  "backendOptions",
  "interventionForRunId",
  "signal",
  "metadata",
] as const;

/** Keys that only make sense when a session starts. */
export const SESSION_OPTION_KEYS = ["sessionId", "provider", "maxConcurrentRuns", "maxQueuedRuns", "autoResume", "hostTools"] as const;

/** Every key the kernel owns. */
export const KERNEL_OPTION_KEYS = [...EXECUTION_OPTION_KEYS, ...RUN_OPTION_KEYS, ...SESSION_OPTION_KEYS] as const;

/** One key the kernel owns. */
export type KernelOptionKey = (typeof KERNEL_OPTION_KEYS)[number];

/**
 * The constraint on a provider's option input type: it may not declare a kernel key. A provider
 * schema with `sessionId` or `allowedTools` does not type-check as a `ProviderDefinition`.
 */
export type WithoutKernelKeys = { readonly [K in KernelOptionKey]?: never };
