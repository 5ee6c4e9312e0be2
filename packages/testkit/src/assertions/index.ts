// Assertions for vitest (an optional peer of the test kit; only this entry and the conformance
// suite need it): `@asm/testkit/assertions`.
export { expectAsmError, expectAsmErrorAsync } from "./expect-asm-error.js";
export type { ExpectedAsmError } from "./expect-asm-error.js";
export { expectValidPayloads } from "./expect-valid-payloads.js";
