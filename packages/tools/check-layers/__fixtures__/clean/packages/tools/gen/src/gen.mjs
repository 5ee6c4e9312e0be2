import { run } from "@asm/core";
import { format } from "prettier";

export const gen = [run, format];
