/**
 * The few parts of `@anthropic-ai/claude-agent-sdk` the lane touches, written structurally so that
 * no vendor type reaches a declaration file of ours (the SDK's own `.d.ts` needs peers a user may
 * not have installed).
 */

/** A user message as the SDK reads it from the streaming prompt. */
export interface SdkUserMessage {
  type: "user";
  message: { role: "user"; content: string };
  parent_tool_use_id: null;
  session_id: string;
}

/** What `canUseTool` resolves to. */
export type SdkPermissionResult =
  | { behavior: "allow"; updatedInput: Record<string, unknown>; updatedPermissions?: unknown[]; toolUseID?: string }
  | { behavior: "deny"; message: string; toolUseID?: string };

/** The third argument of `canUseTool`. */
export interface SdkCanUseToolContext {
  signal: AbortSignal;
  suggestions?: unknown[];
  blockedPath?: string;
  decisionReason?: string;
  toolUseID?: string;
  title?: string;
  displayName?: string;
  description?: string;
  agentID?: string;
}

/** The process the SDK drives, as `spawnClaudeCodeProcess` must return it. */
export interface SdkSpawnedProcess {
  stdin: NodeJS.WritableStream;
  stdout: NodeJS.ReadableStream;
  readonly killed: boolean;
  readonly exitCode: number | null;
  readonly signalCode?: NodeJS.Signals | null;
  kill(signal: NodeJS.Signals): boolean;
  on(event: "exit" | "error", listener: (...args: never[]) => void): void;
  once(event: "exit" | "error", listener: (...args: never[]) => void): void;
  off(event: "exit" | "error", listener: (...args: never[]) => void): void;
}

/** What the SDK hands `spawnClaudeCodeProcess`. */
export interface SdkSpawnOptions {
  command: string;
  args: string[];
  cwd?: string;
  env: Record<string, string | undefined>;
  signal: AbortSignal;
}

/** A running `query()`: the message stream plus the control methods the lane uses. */
export interface SdkQuery extends AsyncIterable<unknown> {
  interrupt(): Promise<void>;
  setModel?(model?: string): Promise<void>;
  setPermissionMode?(mode: string): Promise<void>;
  close?(): void;
}

/** The SDK module, as far as the lane needs it. */
export interface ClaudeSdkModule {
  query(params: { prompt: AsyncIterable<SdkUserMessage>; options: Record<string, unknown> }): SdkQuery;
}
