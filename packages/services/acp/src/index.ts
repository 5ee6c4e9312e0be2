// The ACP face of ASM: an Agent Client Protocol agent over any provider.

/** The agent and its stdio server. */
export { createAcpAgent, serveAcp } from "./acp-agent.js";
export type { AcpAgentOptions } from "./acp-agent.js";
