// The Claude Agent SDK lane. The vendor SDK is an optional peer, loaded by dynamic import only
// when the lane is probed or used; no vendor type appears in this package's declarations.
/** The lane for `createAsm({ lanes })` and its options. */
export { claudeSdkLane } from "./lane.js";
export type { ClaudeSdkLaneOptions } from "./lane.js";
/** What the lane can do (capability names and native features). */
export { CLAUDE_SDK_CAPABILITIES, CLAUDE_SDK_FEATURES } from "./claude-sdk-backend.js";
/** Loading and feature-detecting the SDK (for `asm doctor` and injected modules). */
export { CLAUDE_AGENT_SDK, CLAUDE_AGENT_SDK_INSTALL_HINT, loadClaudeSdk } from "./sdk-loader.js";
export type { ClaudeSdkLoader, LoadedClaudeSdk } from "./sdk-loader.js";
/** The structural shape of the SDK module the lane drives (for injected test modules). */
export type { ClaudeSdkModule, SdkQuery, SdkUserMessage, SdkPermissionResult, SdkCanUseToolContext, SdkSpawnOptions, SdkSpawnedProcess } from "./internal/sdk-shapes.js";
/** Options for driving the Claude Agent SDK yourself, validated and mapped as the lane maps them. */
export { claudeSdkOptions } from "./claude-sdk-options.js";
export type { ClaudeSdkAsmOptions, ClaudeSdkQueryOptions, ClaudeNativePermissionMode } from "./claude-sdk-options.js";
