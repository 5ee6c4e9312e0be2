import { id } from "@asm/contract";

export const thing = id;
