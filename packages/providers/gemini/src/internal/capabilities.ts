import type { Capability } from "@asm/contract";

/**
 * What the Gemini CLI lane offers: streamed text, tool events, SIGINT interrupt, resume by session
 * id or `latest`, token usage with cost for priced models, sandboxed tools, extensions and MCP
 * servers. Headless Gemini has no approval protocol (tools needing approval are simply not
 * offered) and does not stream its thinking.
 */
export const geminiCapabilities = [
  "streaming",
  "tools",
  "interrupt",
  "resume",
  "cost",
  "sandbox",
  "extensions",
  "mcp",
] as const satisfies readonly Capability[];
