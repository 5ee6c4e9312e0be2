import { id } from "@asm/contract";

export const kernel = id;
