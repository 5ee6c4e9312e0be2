import { alpha } from "@asm/alpha";
import { run } from "@asm/core";

export async function loadVendor() {
  return [alpha, run, await import("alpha-vendor-sdk")];
}
