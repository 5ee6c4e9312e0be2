import { describeFieldCoverage } from "@asm/testkit/conformance";
import { geminiFieldCoverage } from "../__fixtures__/field-coverage.js";

// Every event type and field the Gemini CLI printed in a recorded transcript (the parser fixtures)
// is mapped by the parser or explicitly ignored.
describeFieldCoverage({
  cliName: "Gemini CLI",
  fixtures: new URL("../__fixtures__/", import.meta.url),
  expectFolders: [""],
  coverage: geminiFieldCoverage,
  parserSources: new URL("./", import.meta.url),
});
