// The recorded Gemini CLI runs next to this file (see README.md), loaded with the test kit's loader.
import { loadTranscript, transcriptNames, type Transcript } from "@asm/testkit";

const here = new URL("./", import.meta.url);

/** Every recorded transcript's name. */
export const TRANSCRIPTS: readonly string[] = transcriptNames(here);

/** Reads one recorded transcript. */
export function geminiTranscript(name: string): Transcript {
  return loadTranscript(here, name);
}
