import type { AsmEvent } from "@asm/contract";
import { z } from "zod";

export const isRecord = (value: unknown, e?: AsmEvent): boolean => z.record(z.string(), z.unknown()).safeParse(value ?? e).success;
