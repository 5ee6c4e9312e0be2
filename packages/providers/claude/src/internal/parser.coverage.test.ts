import { describeFieldCoverage } from "@asm/testkit/conformance";
import { claudeFieldCoverage } from "../__fixtures__/field-coverage.js";

// Every event type and field Claude Code printed in a recorded transcript (the shared captures,
// the ones recorded for this package, and `pinned/`, re-recorded with the pinned CLI by
// `pnpm record:transcripts` and copied by `pnpm cli:update`) is mapped by the parser or ignored.
describeFieldCoverage({
  cliName: "Claude Code",
  fixtures: new URL("../__fixtures__/", import.meta.url),
  expectFolders: ["pinned", "recorded", "transcripts"],
  coverage: claudeFieldCoverage,
  parserSources: new URL("./", import.meta.url),
});
