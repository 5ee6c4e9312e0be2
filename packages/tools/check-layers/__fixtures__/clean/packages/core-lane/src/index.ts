import type { AsmEvent } from "@asm/contract";
import { isRecord } from "@asm/provider-utils";
import { execa } from "execa";

export async function spawnLane(e: AsmEvent) {
  const { z } = await import("zod");
  return execa("true", [String(z), String(isRecord(e))]);
}
