import { AsmError, type AsmErrorCode } from "@asm/contract";
import { describeProfileConformance } from "@asm/testkit/conformance";
import { geminiTranscript, TRANSCRIPTS } from "./__fixtures__/gemini-transcripts.js";
import { geminiPermissionModes } from "./internal/permission-modes.js";
import { geminiProfile } from "./profile.js";

// The shared profile conformance suite, run on every recorded Gemini transcript.
const EXPECTED: Readonly<Record<string, { expectOutcome: "result" | "error"; expectErrorCode?: AsmErrorCode }>> = {
  text: { expectOutcome: "result" },
  tool: { expectOutcome: "result" },
  resume: { expectOutcome: "result" },
  "tool-denied": { expectOutcome: "result" },
  "error-401": { expectOutcome: "error", expectErrorCode: "auth_error" },
  "error-500": { expectOutcome: "error", expectErrorCode: "transport_error" },
  "error-429": { expectOutcome: "error", expectErrorCode: "rate_limit" },
  "connection-refused": { expectOutcome: "error", expectErrorCode: "connection_failed" },
  "no-api-key": { expectOutcome: "error", expectErrorCode: "auth_error" },
  "untrusted-folder": { expectOutcome: "error", expectErrorCode: "config_invalid" },
  "resume-unknown": { expectOutcome: "error", expectErrorCode: "not_found" },
  interrupted: { expectOutcome: "error", expectErrorCode: "user_cancelled" },
};

describeProfileConformance("gemini", {
  profile: geminiProfile,
  permissionModes: geminiPermissionModes,
  versionSample: { output: "0.61.0\n", version: "0.61.0" },
  transcripts: TRANSCRIPTS.map((name) => {
    const transcript = geminiTranscript(name);
    const expected = EXPECTED[name];
    // A recording without an expected outcome is a mistake in this table, not a skipped case.
    if (expected === undefined) throw new AsmError("config_invalid", `transcript ${name} has no expected outcome in profile.conformance.test.ts`);
    return { name, stdout: transcript.stdout, stderr: transcript.stderr, exitCode: transcript.exitCode, signal: transcript.signal, ...expected };
  }),
});
