import { statSync } from "node:fs";
import { AsmError } from "@asm/contract";

/** The run's working directory (`cwd`, else the process's), which must be a folder. */
export function workingDirectory(cwd: unknown, who: string): string {
  const path = typeof cwd === "string" ? cwd : process.cwd();
  let folder = false;
  try {
    folder = statSync(path).isDirectory();
  } catch {
    folder = false;
  }
  if (!folder) throw new AsmError("config_invalid", `${who}: working directory ${path} does not exist or is not a folder`, { provider: "codex", details: { key: "cwd", cwd: path } });
  return path;
}
