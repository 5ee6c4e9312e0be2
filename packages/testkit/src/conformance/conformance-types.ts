import type { AsmErrorCode, PermissionModeTable, ProviderProfile } from "@asm/contract";

/** One recorded CLI run a profile's parser must turn into exactly one outcome. */
export interface ConformanceTranscript {
  /** Shown in test names (defaults to `transcript <n>`). */
  name?: string;
  /** The CLI's stdout, one event per line. */
  stdout: string;
  stderr?: string;
  exitCode: number | null;
  signal?: string | null;
  /** Whether the run's outcome is a `result` or a terminal `error`. */
  expectOutcome: "result" | "error";
  /** The error code the terminal `error` must carry. */
  expectErrorCode?: AsmErrorCode;
}

/** What {@link describeProfileConformance} checks a profile against. */
export interface ProfileConformanceOptions {
  profile: ProviderProfile;
  transcripts: readonly ConformanceTranscript[];
  /** The provider's permission table; its CLI arguments are checked and used with `buildInvocation`. */
  permissionModes?: PermissionModeTable;
  /** Provider options given to `buildInvocation` (default `{}`). */
  invocationOptions?: Record<string, unknown>;
  /** A sample of the CLI's version output and the version `parseVersion` must find in it. */
  versionSample?: { output: string; version: string };
}
