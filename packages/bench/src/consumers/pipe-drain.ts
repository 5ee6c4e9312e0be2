import type { FakeScenario } from "../fake/fake-claude.js";
import { spawnFake, whenClosed } from "./child-stream.js";

/** What a pipe drain saw. */
export interface DrainResult {
  bytes: number;
}

/**
 * The pipe limit: spawns the fake and drains its stdout without looking at the bytes (the same
 * bytes going to `/dev/null` through a child-process pipe).
 */
export async function drainPipe(scenario: FakeScenario): Promise<DrainResult> {
  const child = spawnFake(scenario);
  let bytes = 0;
  child.stdout.on("data", (chunk: Buffer) => {
    bytes += chunk.length;
  });
  await whenClosed(child);
  return { bytes };
}
