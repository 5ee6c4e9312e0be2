import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

/** One failed test. */
interface TestFailure {
  file: string;
  name: string;
  message: string;
}

/** The outcome of one vitest run. */
export interface TestRun {
  /** The package folder, relative to the repository root. */
  packageDir: string;
  passed: number;
  failed: number;
  failures: TestFailure[];
  /** Set when vitest itself could not run or report (then the run counts as failed). */
  error?: string;
}

/** The part of vitest's JSON report this tool reads. */
interface VitestJson {
  numPassedTests?: number;
  numFailedTests?: number;
  testResults?: Array<{ name?: string; message?: string; assertionResults?: Array<{ fullName?: string; status?: string; failureMessages?: string[] }> }>;
}

/** Reads vitest's JSON report into a {@link TestRun}. */
export function readVitestJson(packageDir: string, root: string, report: VitestJson): TestRun {
  const failures: TestFailure[] = [];
  for (const file of report.testResults ?? []) {
    const name = relative(root, file.name ?? "");
    const failedTests = (file.assertionResults ?? []).filter((test) => test.status === "failed");
    for (const test of failedTests) {
      failures.push({ file: name, name: test.fullName ?? "(unnamed)", message: (test.failureMessages?.[0] ?? "").split("\n")[0] ?? "" });
    }
    // A file that failed to load has no assertion results, only a message.
    if (failedTests.length === 0 && file.message !== undefined && file.message !== "") {
      failures.push({ file: name, name: "(file)", message: file.message.split("\n")[0] ?? "" });
    }
  }
  return { packageDir, passed: report.numPassedTests ?? 0, failed: Math.max(report.numFailedTests ?? 0, failures.length), failures };
}

/** Runs `vitest run` (optionally only `files`) in one package of the repository and reads its JSON report. */
export async function runVitest(root: string, packageDir: string, files: readonly string[] = []): Promise<TestRun> {
  const scratch = await mkdtemp(join(tmpdir(), "asm-cli-update-"));
  const output = join(scratch, "report.json");
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn("pnpm", ["exec", "vitest", "run", "--reporter=json", `--outputFile=${output}`, ...files], {
        cwd: join(root, packageDir),
        stdio: ["ignore", "ignore", "inherit"],
      });
      child.on("error", reject);
      child.on("close", resolve);
    });
    try {
      return readVitestJson(packageDir, root, JSON.parse(await readFile(output, "utf8")) as VitestJson);
    } catch (error) {
      return { packageDir, passed: 0, failed: 1, failures: [], error: `vitest exited ${String(code)} without a readable report: ${(error as Error).message}` };
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
