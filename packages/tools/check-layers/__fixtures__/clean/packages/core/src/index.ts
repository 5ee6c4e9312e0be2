import type { AsmEvent } from "@asm/contract";
import { spawnLane } from "@asm/core-lane";

export async function run(e: AsmEvent) {
  const { z } = await import("zod");
  return spawnLane({ ...e, payload: String(z) } as AsmEvent);
}
