import { id } from "@asm/contract";
import { z } from "zod";

export const alpha = z.object({ id });
