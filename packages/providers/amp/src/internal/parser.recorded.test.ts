import { describe, expect, it } from "vitest";
import { expectValidPayloads } from "@asm/testkit/assertions";
import { feedTranscript } from "@asm/testkit";
import { recorded } from "../__fixtures__/amp-transcripts.js";
import { createAmpParser } from "./parser.js";

// Real Amp CLI runs (0.0.1790142911-g7618fb): exit 1, empty stdout, one line on stderr.
describe("Amp parser on the recorded error transcripts", () => {
  const cases = [
    {
      name: "error-401",
      code: "auth_error",
      retryable: false,
      message: "Amp exited with code 1: Invalid or missing API key. Run 'amp login' to authenticate.",
    },
    {
      name: "error-500",
      code: "transport_exit",
      retryable: true,
      message: "Amp exited with code 1: Amp server returned an error. Try again in a moment.",
    },
    {
      name: "error-no-actor-gateway",
      code: "connection_failed",
      retryable: true,
      message: "Amp exited with code 1: WebSocket connection failed. Check your connection or proxy settings and retry.",
    },
  ] as const;

  for (const { name, code, retryable, message } of cases) {
    it(`${name}: stderr event, then one terminal ${code} error synthesized from the exit`, () => {
      const transcript = recorded(name);
      expect(transcript.stdout).toBe("");
      expect(transcript.exitCode).toBe(1);

      const events = feedTranscript(createAmpParser(), transcript);
      expectValidPayloads(events);
      expect(events.map((event) => event.kind)).toEqual(["stderr", "error"]);
      expect(events[0]).toMatchObject({ kind: "stderr", payload: { content: transcript.stderr } });
      expect(events[1]).toMatchObject({
        kind: "error",
        payload: { code, severity: "error", retryable, exitCode: 1, stderrTail: transcript.stderr, message },
      });
      expect(events.every((event) => event.providerSessionId === undefined)).toBe(true);
    });
  }
});
