/** What a provider or backend can do. Lane resolution and the endpoint read these. */
export const CAPABILITIES = [
  "streaming",
  "tools",
  "approval",
  "interrupt",
  "resume",
  "cost",
  "thinking",
  "plan",
  "reasoning",
  "structured_output",
  "sandbox",
  "extensions",
  "mcp",
  "multi_turn",
  "control_protocol",
] as const;
/** One capability name. */
export type Capability = (typeof CAPABILITIES)[number];
