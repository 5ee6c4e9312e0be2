import type { AsmEvent } from "@asm/contract";
import { execa } from "execa";

export async function run(e: AsmEvent) {
  const { z } = await import("zod");
  return execa("true", [String(z), String(e)]);
}
