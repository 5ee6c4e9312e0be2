// The Codex app-server lane: `codex app-server` over JSON-RPC stdio, with approvals and graceful
// turn interrupts. It needs no npm package beyond the codex CLI itself.
/** The lane for `createAsm({ lanes })`. */
export { codexAppServerLane, CODEX_APP_SERVER_CAPABILITIES, CODEX_APP_SERVER_FEATURES } from "./lane.js";
/** Options for driving Codex yourself (app-server, or `@openai/codex-sdk`), validated and mapped as the lane maps them. */
export { codexAppServerThreadParams } from "./codex-app-server-thread-params.js";
export type { CodexAppServerThreadParams } from "./codex-app-server-thread-params.js";
export { codexSdkOptions, codexThreadOptions } from "./codex-sdk-options.js";
export type { CodexSdkClientOptions, CodexSdkThreadOptions, CodexConfigValue, CodexSdkReasoningEffort, CodexApprovalPolicy, CodexSandboxMode } from "./codex-sdk-options.js";
export type { CodexAsmOptions } from "./codex-asm-options.js";
