import { spawn } from "node:child_process";

/** Runs a command to completion; stdout is collected, stderr goes to the terminal (or is collected with `quiet`). */
export function run(command: string, args: readonly string[], options: { cwd: string; quiet?: boolean; timeoutMs?: number }): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, stdio: ["ignore", "pipe", options.quiet === true ? "pipe" : "inherit"] });
    let stdout = "";
    let stderr = "";
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => child.kill("SIGTERM"), options.timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The registry's newest version of a package (`npm view <name> version`). */
export async function latestVersion(name: string, cwd: string): Promise<string> {
  const result = await run("npm", ["view", name, "version"], { cwd, quiet: true, timeoutMs: 120_000 });
  const version = result.stdout.trim().split("\n").at(-1)?.trim() ?? "";
  if (result.code !== 0 || version === "") throw new Error(`npm view ${name} version failed (exit ${String(result.code)}): ${result.stderr.trim().slice(0, 300)}`);
  return version;
}
