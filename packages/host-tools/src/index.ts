export { checkHostTools } from "./host-tool-list.js";
export type { CheckedHostTool } from "./host-tool-list.js";
export { executeHostTool } from "./tool-executor.js";
export type { HostToolCallResult } from "./tool-executor.js";
export { startHostToolServer, HOST_TOOLS_SERVER_NAME, HOST_TOOLS_TOKEN_ENV } from "./mcp-server.js";
export type { HostToolServer, HostToolServerOptions } from "./mcp-server.js";
