import type { AsmErrorCode } from "@asm/contract";
import type { Transcript } from "../transcripts/load-transcript.js";
import type { ConformanceTranscript } from "./conformance-types.js";

/**
 * A conformance case from a loaded transcript and the outcome it must give: `"result"`, or the
 * code of the terminal error.
 *
 * @example
 * ```ts
 * fromTranscript(loadTranscript(fixtures, "error-401"), "auth_error");
 * ```
 */
export function fromTranscript(transcript: Transcript, expected: AsmErrorCode | "result", name: string = transcript.name): ConformanceTranscript {
  const base = { name, stdout: transcript.stdout, stderr: transcript.stderr, exitCode: transcript.exitCode, signal: transcript.signal };
  return expected === "result" ? { ...base, expectOutcome: "result" } : { ...base, expectOutcome: "error", expectErrorCode: expected };
}
