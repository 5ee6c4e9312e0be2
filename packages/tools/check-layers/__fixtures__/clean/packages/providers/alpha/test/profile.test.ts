import { fakeBackend } from "@asm/testkit";
import { it } from "vitest";
import { alpha } from "../src/index.js";

it("has a profile", () => void [alpha, fakeBackend]);
