import { describeProfileConformance, type ConformanceTranscript } from "@asm/testkit/conformance";
import { RECORDED, recorded, synthetic } from "./__fixtures__/fixtures.js";
import { ampPermissionModes } from "./permission-modes.js";
import { ampProfile } from "./profile.js";

const recordedCodes = {
  "error-401": "auth_error",
  "error-500": "transport_exit",
  "error-no-actor-gateway": "connection_failed",
} as const;

// The recorded error runs of the real CLI, then the synthetic streams (not recordings; see
// __fixtures__/synthetic/README.md).
const transcripts: ConformanceTranscript[] = [
  ...RECORDED.map((name) => ({ name: `recorded ${name}`, ...recorded(name), expectOutcome: "error" as const, expectErrorCode: recordedCodes[name] })),
  { name: "synthetic text", stdout: synthetic("text"), exitCode: 0, expectOutcome: "result" },
  { name: "synthetic tool", stdout: synthetic("tool"), exitCode: 0, expectOutcome: "result" },
  { name: "synthetic thinking", stdout: synthetic("thinking"), exitCode: 0, expectOutcome: "result" },
  { name: "synthetic error-result", stdout: synthetic("error-result"), exitCode: 1, expectOutcome: "error", expectErrorCode: "unknown" },
  { name: "synthetic legacy", stdout: synthetic("legacy"), exitCode: 0, expectOutcome: "result" },
  { name: "synthetic legacy-failed", stdout: synthetic("legacy-failed"), exitCode: 1, expectOutcome: "error", expectErrorCode: "rate_limit" },
];

describeProfileConformance("amp", {
  profile: ampProfile,
  permissionModes: ampPermissionModes,
  transcripts,
  versionSample: {
    output: "0.0.1790142911-g7618fb (released 2026-09-23T05:55:11.000Z, 1mo ago)\n",
    version: "0.0.1790142911-g7618fb",
  },
});
