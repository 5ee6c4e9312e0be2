import type { AsmErrorCode } from "@asm/contract";
import { describeProfileConformance, fromTranscript } from "@asm/testkit/conformance";
import { claudeTranscript } from "./__fixtures__/replay.js";
import { claudePermissionModes } from "./internal/permission-modes.js";
import { claudeOptionsSchema } from "./options.js";
import { claudeProfile } from "./profile.js";

// The outcome each recorded print-mode and control-mode run must produce.
const EXPECTED: Record<string, AsmErrorCode | "result"> = {
  text: "result",
  tool: "result",
  "stream-input": "result",
  resume: "result",
  "text-v2.1.197": "result",
  "error-401": "auth_error",
  "error-500": "transport_error",
};

describeProfileConformance("claude", {
  profile: claudeProfile,
  permissionModes: claudePermissionModes,
  // As the kernel hands them over: validated, defaults applied (the control protocol is on by default).
  invocationOptions: claudeOptionsSchema.parse({}),
  versionSample: { output: "2.1.329 (Claude Code)\n", version: "2.1.329" },
  transcripts: Object.entries(EXPECTED).map(([name, expected]) => fromTranscript(claudeTranscript("transcripts", name), expected)),
});
