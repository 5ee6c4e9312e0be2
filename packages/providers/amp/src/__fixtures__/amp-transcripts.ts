// The Amp streams next to this file (see README.md), loaded with the test kit's loader.
import { isOutcomeEvent, type BackendEvent, type ExitInfo } from "@asm/contract";
import { exitInfoOf, loadTranscript, transcriptNames, type Transcript } from "@asm/testkit";

const recordedDir = new URL("./recorded/", import.meta.url);
const syntheticDir = new URL("./synthetic/", import.meta.url);

/** Names of the recorded Amp error transcripts. */
export const RECORDED: readonly string[] = transcriptNames(recordedDir);
/** Names of the synthetic streams (written by hand, not recordings). */
export const SYNTHETIC: readonly string[] = transcriptNames(syntheticDir);

/** One recorded run of the real CLI. */
export function recorded(name: string): Transcript {
  return loadTranscript(recordedDir, name);
}

/** One synthetic stream. */
export function synthetic(name: string): Transcript {
  return loadTranscript(syntheticDir, name);
}

/** The exit info the core lane would give after `events`, for an exit code or a signal. */
export function exitInfo(events: readonly BackendEvent[], exitCode: number | null, stderr = "", signal: string | null = null): ExitInfo {
  return exitInfoOf({ exitCode, signal, stderr }, events.some(isOutcomeEvent));
}
