import { alpha } from "@asm/alpha";
import { beta } from "@asm/beta";

export const lane = [alpha, beta];
