import type { ApprovalPosture, PermissionMode } from "./permission.js";

/** Where the CLI process runs. Placement only: it says nothing about permissions. */
export type ExecutionSurfaceKind = "local" | "ssh_exec" | "guest_bridge";

/** Options of the `ssh_exec` surface (`executionSurface.transportOptions`). */
export interface SshTransportOptions {
  /** Host name or address. */
  destination: string;
  /** Remote user; defaults to ssh's own choice. */
  user?: string;
  /** Port; defaults to 22. */
  port?: number;
  /** Private key file. */
  identityFile?: string;
  /** Extra `-o Key=Value` options. */
  options?: Record<string, string>;
  /** `BatchMode=yes` (never prompt); defaults to true. */
  batchMode?: boolean;
  /** `ConnectTimeout` in seconds; defaults to 10. */
  connectTimeoutSeconds?: number;
  /** The ssh binary; defaults to `ssh` on PATH. */
  sshPath?: string;
}

/** Placement of a run's process. */
export interface ExecutionSurface {
  /** Where the process runs. */
  kind: ExecutionSurfaceKind;
  /** Surface-specific options (for `ssh_exec`: {@link SshTransportOptions}). */
  transportOptions: Record<string, unknown>;
  /** Opaque target identifier of the placement authority. */
  targetId?: string;
  /** Opaque lease reference. */
  leaseRef?: string;
  /** Opaque surface reference. */
  surfaceRef?: string;
  /** Isolation class label. */
  boundaryClass?: string;
  /** Free-form observability data, merged into run metadata. */
  observability: Record<string, unknown>;
}

/** What the run may do and where: workspace, tools, approvals, permissions. */
export interface ExecutionEnvironment {
  /** Working directory of the CLI process. */
  workspaceRoot?: string;
  /** Tools the agent may call; empty means no allow-list. */
  allowedTools: string[];
  /** How approvals are handled. */
  approvalPosture?: ApprovalPosture;
  /** Normalized permission mode. */
  permissionMode?: PermissionMode;
}

/** Where the run's backend starts: in this process, or on a remote ASM node. */
export type ExecutionMode = "local" | "remote_node";

/** The fully resolved execution configuration of one run. */
export interface ExecutionConfig {
  executionMode: ExecutionMode;
  executionSurface: ExecutionSurface;
  executionEnvironment: ExecutionEnvironment;
  /** The provider's native form of the permission mode, when one is set. */
  providerPermissionMode?: string;
  /** Timeout for a single transport call (ms). */
  transportCallTimeoutMs: number;
  /** Remote-node settings, when `executionMode` is `remote_node`. */
  remote?: Record<string, unknown>;
}
