import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { AsmError } from "@asm/contract";
import { FAKE_CLAUDE_PATH, OPENING_LINES, fakeEnv, type FakeScenario } from "../fake/fake-claude.js";

/** Spawns the Node fake `claude` with plain `child_process.spawn` and writes the opening lines. */
export function spawnFake(scenario: FakeScenario): ChildProcessWithoutNullStreams {
  const child = spawn(process.execPath, [FAKE_CLAUDE_PATH], {
    env: { ...process.env, ...fakeEnv(scenario) },
    stdio: ["pipe", "pipe", "pipe"],
  });
  child.stdin.end(OPENING_LINES);
  child.stderr.resume();
  return child;
}

/** Resolves once the child has exited with code 0 and its pipes are closed. */
export function whenClosed(child: ChildProcessWithoutNullStreams): Promise<void> {
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => {
      if (code === 0) resolve();
      else reject(new AsmError("transport_exit", `the fake CLI exited with ${code ?? signal}`));
    });
  });
}
