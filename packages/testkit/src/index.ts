// Test doubles for ASM. The profile conformance suite, which needs vitest, is a separate entry:
// `@asm/testkit/conformance`.
export { createFakeBackend } from "./fake-backend/fake-backend.js";
export type { FakeBackend } from "./fake-backend/fake-backend.js";
export type { FakeStep, FakeScript, FakeBackendRecord, FakeBackendOptions } from "./fake-backend/fake-script.js";
export { fakeEvents } from "./fake-backend/fake-events.js";
export { fakeProvider } from "./fake-backend/fake-provider.js";
export type { FakeProviderOptions } from "./fake-backend/fake-provider.js";
export { FAKE_CLI_MODES, fakeCliEnv } from "./fake-cli/fake-cli-env.js";
export type { FakeCliMode, FakeCliCommon, FakeCliScenario } from "./fake-cli/fake-cli-env.js";
export { fakeCliPath } from "./fake-cli/fake-cli-path.js";
export { jsonlTestProfile } from "./test-profile/jsonl-test-profile.js";
export type { JsonlTestProfileOptions, JsonlTestProviderOptions } from "./test-profile/jsonl-test-profile.js";
export * from "./fake-servers/http-server.js";
export * from "./fake-servers/anthropic.js";
export * from "./fake-servers/anthropic-types.js";
export * from "./fake-servers/anthropic-replies.js";
export * from "./fake-servers/gemini-replies.js";
export * from "./fake-servers/openai-responses.js";
export * from "./fake-servers/openai-responses-types.js";
export * from "./fake-servers/openai-responses-codex-config.js";
export * from "./fake-servers/gemini.js";
export * from "./fake-servers/gemini-types.js";
export * from "./fake-servers/gemini-cli-home.js";
export { sshdInstalled, startLoopbackSshd } from "./sshd/loopback-sshd.js";
export type { LoopbackSshd } from "./sshd/loopback-sshd.js";
export { CLAUDE_QUIET_ENV } from "./real-cli/claude-quiet-env.js";
