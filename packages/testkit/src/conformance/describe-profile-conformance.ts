import { describe, expect, it } from "vitest";
import type { ProfileConformanceOptions } from "./conformance-types.js";
import { checkControlProtocol, checkDiscovery, checkGarbage, checkInvocations, checkSilentExits, checkTranscript } from "./profile-checks.js";

/**
 * Registers the profile conformance tests (vitest, an optional peer of the test kit: this entry,
 * `@asm/testkit/conformance`, is the only one that needs it) for one provider profile. Every provider
 * package calls it from its own test with its real recorded transcripts:
 *
 * - each transcript yields exactly one outcome after `exit()`, of the expected kind and error
 *   code, and every event's payload satisfies its schema;
 * - garbage stdout lines never throw, give non-terminal `parse_error` events and leave a
 *   transcript's outcome unchanged;
 * - `exit()` without any output synthesizes exactly one outcome;
 * - `buildInvocation` delivers the prompt, never puts one longer than `maxArgvPromptBytes` on
 *   argv, renders permission modes as string arguments and passes a resume id;
 * - discovery data (binary names, env var, install hint, supported versions) is complete;
 * - a control protocol writes single JSON lines (skipped for a profile without one).
 *
 * @example
 * ```ts
 * describeProfileConformance("claude", {
 *   profile: claudeProfile,
 *   permissionModes: claude().permissionModes,
 *   transcripts: [{ name: "text", stdout: readFixture("text.jsonl"), exitCode: 0, expectOutcome: "result" }],
 * });
 * ```
 */
export function describeProfileConformance(name: string, options: ProfileConformanceOptions): void {
  const { profile } = options;
  describe(`${name} profile conformance`, () => {
    it("is given at least one transcript", () => {
      expect(options.transcripts.length).toBeGreaterThan(0);
    });

    options.transcripts.forEach((transcript, index) => {
      const label = transcript.name ?? `transcript ${index + 1}`;
      it(`${label}: yields exactly one ${transcript.expectOutcome} outcome`, () => {
        expect(checkTranscript(profile, transcript)).toEqual([]);
      });
    });

    it("survives garbage lines with non-terminal parse_error events", () => {
      expect(checkGarbage(profile, options.transcripts[0])).toEqual([]);
    });

    it("synthesizes exactly one outcome when the CLI exits without output", () => {
      expect(checkSilentExits(profile)).toEqual([]);
    });

    it("builds invocations that keep long prompts off argv", () => {
      expect(
        checkInvocations(profile, {
          ...(options.invocationOptions === undefined ? {} : { invocationOptions: options.invocationOptions }),
          ...(options.permissionModes === undefined ? {} : { permissionModes: options.permissionModes }),
        }),
      ).toEqual([]);
    });

    it("has complete discovery data", () => {
      expect(checkDiscovery(profile, options.versionSample)).toEqual([]);
    });

    // Only a profile with a control protocol has lines to check; for one without, the case is not
    // registered at all (neither a pass nor a skip that would read as a missing dependency).
    if (profile.control !== undefined) {
      it("writes well-formed control protocol lines", () => {
        expect(checkControlProtocol(profile)).toEqual([]);
      });
    }
  });
}
