// The ACP lane: any Agent Client Protocol agent command driven through @agentclientprotocol/sdk
// (an optional peer, loaded on demand), with `gemini --acp` as Gemini's SDK lane.
/** Gemini's SDK lane and the generic ACP lane. */
export { geminiAcpLane, acpLane, ACP_CAPABILITIES, ACP_FEATURES } from "./lanes.js";
export type { GeminiAcpLaneOptions, AcpLaneOptions } from "./lanes.js";
/** Loading and feature-detecting the ACP SDK. */
export { ACP_SDK, ACP_SDK_INSTALL_HINT, loadAcpSdk } from "./sdk-loader.js";
export type { AcpSdkLoader, LoadedAcpSdk } from "./sdk-loader.js";
/** The structural shape of the ACP SDK the lane drives (for injected modules). */
export type { AcpSdkModule, AcpClientApp, AcpClientConnection, AcpAgentContext, AcpHandlerContext } from "./internal/acp-shapes.js";
