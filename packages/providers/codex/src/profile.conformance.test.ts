import type { AsmErrorCode } from "@asm/contract";
import { describeProfileConformance } from "@asm/testkit/conformance";
import { loadTranscript, TRANSCRIPTS } from "./__fixtures__/transcripts.js";
import { codexPermissionModes } from "./permission-modes.js";
import { codexProfile } from "./profile.js";

// The outcome each recorded run must produce (see __fixtures__/README.md).
const EXPECTED: Record<(typeof TRANSCRIPTS)[number], AsmErrorCode | "result"> = {
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
    const transcript = loadTranscript(name);
    const expected = EXPECTED[name];
    return {
      name,
      stdout: transcript.stdout,
      stderr: transcript.stderr,
      exitCode: transcript.exitCode,
      ...(expected === "result" ? { expectOutcome: "result" as const } : { expectOutcome: "error" as const, expectErrorCode: expected }),
    };
  }),
});
