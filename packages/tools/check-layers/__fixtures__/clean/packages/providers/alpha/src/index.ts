import { id } from "@asm/contract";
import { isRecord } from "@asm/provider-utils";
import { z } from "zod";

export const alpha = z.object({ id }).refine(isRecord);
