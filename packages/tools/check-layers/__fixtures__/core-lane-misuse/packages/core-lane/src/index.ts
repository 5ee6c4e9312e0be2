import { id } from "@asm/contract";
import { run } from "@asm/core";
import { execa } from "execa";

export const spawnLane = () => execa("true", [String(id), String(run)]);
