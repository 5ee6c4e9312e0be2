import { id } from "@asm/contract";
import { alpha } from "@asm/alpha";

export const kernel = [id, alpha];
