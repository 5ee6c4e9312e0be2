import { spawnLane } from "@asm/core-lane";

export const run = spawnLane;
