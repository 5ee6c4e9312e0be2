import { backendEvent, type BackendEvent } from "@asm/contract";

/**
 * Runs one parser call; a parser that throws does not end the run, it becomes a `parse_error`
 * warning naming the provider (with the line it choked on, when there was one).
 */
export function callParser(profileId: string, parse: () => BackendEvent[], line?: string): BackendEvent[] {
  try {
    return parse();
  } catch (error) {
    return [
      backendEvent("error", {
        message: `the ${profileId} parser failed: ${error instanceof Error ? error.message : String(error)}`,
        code: "parse_error",
        severity: "warning",
        details: line === undefined ? {} : { line },
      }),
    ];
  }
}
