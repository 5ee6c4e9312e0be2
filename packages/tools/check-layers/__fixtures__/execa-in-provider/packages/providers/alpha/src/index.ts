import { id } from "@asm/contract";
import { execa } from "execa";

export const alpha = [id, execa];
