import { id } from "@asm/contract";
import { spawnLane } from "@asm/core-lane";

export const alpha = [id, spawnLane];
