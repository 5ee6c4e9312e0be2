import { fakeBackend } from "@asm/testkit";
import { it } from "vitest";
import { spawnLane } from "./index.js";

it("spawns", () => void [spawnLane, fakeBackend]);
