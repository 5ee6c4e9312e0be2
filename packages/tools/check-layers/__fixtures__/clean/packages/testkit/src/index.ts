import { describe } from "vitest";
import type { AsmEvent } from "@asm/contract";

export const fakeBackend = (e?: AsmEvent) => describe(String(e), () => {});
