// The fake Anthropic server, from @asm/testkit.
export { startFakeAnthropic } from "@asm/testkit";
export type { FakeAnthropicServer, RecordedRequest } from "@asm/testkit";
export { anthropicReplies } from "@asm/testkit";
