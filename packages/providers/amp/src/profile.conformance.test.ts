import { describeProfileConformance, fromTranscript, type ConformanceTranscript } from "@asm/testkit/conformance";
import { AsmError, type AsmErrorCode } from "@asm/contract";
import { RECORDED, recorded, synthetic, SYNTHETIC } from "./__fixtures__/amp-transcripts.js";
import { ampPermissionModes } from "./internal/permission-modes.js";
import { ampProfile } from "./profile.js";

// The outcome each stream must produce: the recorded error runs of the real CLI, then the
// synthetic streams (not recordings; see __fixtures__/synthetic/README.md).
const EXPECTED: Readonly<Record<string, AsmErrorCode | "result">> = {
  "recorded/error-401": "auth_error",
  "recorded/error-500": "transport_exit",
  "recorded/error-no-actor-gateway": "connection_failed",
  "synthetic/text": "result",
  "synthetic/tool": "result",
  "synthetic/thinking": "result",
  "synthetic/error-result": "unknown",
  "synthetic/error-max-turns": "unknown",
  "synthetic/legacy": "result",
  "synthetic/legacy-failed": "rate_limit",
  "synthetic/legacy-cancelled": "user_cancelled",
};

const transcripts: ConformanceTranscript[] = [
  ...RECORDED.map((name) => ({ label: `recorded/${name}`, transcript: recorded(name) })),
  ...SYNTHETIC.map((name) => ({ label: `synthetic/${name}`, transcript: synthetic(name) })),
].map(({ label, transcript }) => {
  const expected = EXPECTED[label];
  // A stream without an expected outcome is a mistake in this table, not a skipped case.
  if (expected === undefined) throw new AsmError("config_invalid", `${label} has no expected outcome in profile.conformance.test.ts`);
  return fromTranscript(transcript, expected, label);
});

describeProfileConformance("amp", {
  profile: ampProfile,
  permissionModes: ampPermissionModes,
  transcripts,
  versionSample: {
    output: "0.0.1790142911-g7618fb (released 2026-09-23T05:55:11.000Z, 1mo ago)\n",
    version: "0.0.1790142911-g7618fb",
  },
});
