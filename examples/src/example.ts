// Runs an example by name, so `pnpm example <name> [flags]` works from the repository root on
// Node 20 (the sources are TypeScript, loaded through tsx).
import { readdirSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const names = readdirSync(here)
  .filter((file) => file.endsWith(".ts") && !["example.ts", "common.ts"].includes(file))
  .map((file) => file.slice(0, -3))
  .sort();
const [name, ...rest] = process.argv.slice(2);

if (name === undefined || !names.includes(name)) {
  process.stderr.write(`${name === undefined ? "" : `unknown example "${name}"\n`}usage: pnpm example <name> [flags]\nexamples: ${names.join(", ")}\n`);
  process.exitCode = name === undefined ? 0 : 2;
} else {
  // The example reads its own flags from process.argv, as when it is run directly.
  process.argv = [process.argv[0]!, `${here}/${name}.ts`, ...rest];
  await import(pathToFileURL(`${here}/${name}.ts`).href);
}
