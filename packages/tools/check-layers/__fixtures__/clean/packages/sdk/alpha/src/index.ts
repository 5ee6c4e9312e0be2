import { alpha } from "@asm/alpha";
import { run } from "@asm/core";
import { spawnLane } from "@asm/core-lane";

export async function loadVendor() {
  return [alpha, run, spawnLane, await import("alpha-vendor-sdk")];
}
