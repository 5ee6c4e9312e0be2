import { kernel } from "@asm/core";
import { Socket } from "phoenix";

export const bus = new Socket(String(kernel));
