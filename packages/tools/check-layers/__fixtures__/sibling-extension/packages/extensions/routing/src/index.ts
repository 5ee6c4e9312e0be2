import { kernel } from "@asm/core";
import { store } from "@asm/persistence";

export const router = [kernel, store];
