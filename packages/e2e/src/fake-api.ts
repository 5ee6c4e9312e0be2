// The fake Anthropic server, from @asm/testkit.
export { startFakeAnthropic } from "@asm/testkit";
export type { AnthropicReply, AnthropicResponder, AnthropicTurn, FakeAnthropicOptions, FakeAnthropicServer, RecordedRequest } from "@asm/testkit";
export { anthropicReplies, defaultAnthropicResponder } from "@asm/testkit";
