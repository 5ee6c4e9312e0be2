import { AsmError, type AsmErrorCode } from "@asm/contract";
import { describeProfileConformance, fromTranscript } from "@asm/testkit/conformance";
import { codexTranscript, TRANSCRIPTS } from "./__fixtures__/codex-transcripts.js";
import { codexPermissionModes } from "./internal/permission-modes.js";
import { codexProfile } from "./profile.js";

// The outcome each recorded run must produce (see __fixtures__/README.md).
const EXPECTED: Readonly<Record<string, AsmErrorCode | "result">> = {
  text: "result",
  tool: "result",
  items: "result",
  reconnect: "result",
  structured: "result",
  "oss-notice": "result",
  resume: "result",
  "error-401": "auth_error",
  "error-500": "transport_error",
  "error-429": "rate_limit",
  "error-quota": "quota_exhausted",
  "no-git-check": "config_invalid",
  interrupted: "transport_exit",
};

describeProfileConformance("codex", {
  profile: codexProfile,
  permissionModes: codexPermissionModes,
  invocationOptions: { skipGitRepoCheck: true },
  versionSample: { output: "codex-cli 0.169.0\n", version: "0.169.0" },
  transcripts: TRANSCRIPTS.map((name) => {
    const expected = EXPECTED[name];
    // A recording without an expected outcome is a mistake in this table, not a skipped case.
    if (expected === undefined) throw new AsmError("config_invalid", `transcript ${name} has no expected outcome in profile.conformance.test.ts`);
    return fromTranscript(codexTranscript(name), expected);
  }),
});
