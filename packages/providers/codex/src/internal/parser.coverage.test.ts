import { describeFieldCoverage } from "@asm/testkit/conformance";
import { codexFieldCoverage } from "../__fixtures__/field-coverage.js";

// Every event type and field `codex exec --json` printed in a recorded transcript (the parser
// fixtures, and `pinned/`, re-recorded with the pinned CLI by `pnpm record:transcripts` and copied
// by `pnpm cli:update`) is mapped by the parser or explicitly ignored.
describeFieldCoverage({
  cliName: "Codex",
  fixtures: new URL("../__fixtures__/", import.meta.url),
  expectFolders: ["", "pinned"],
  coverage: codexFieldCoverage,
  parserSources: new URL("./", import.meta.url),
});
