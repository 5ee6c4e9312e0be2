import fc from "fast-check";
import { fakeBackend } from "@asm/testkit";
import { it } from "vitest";

it("runs", () => fc.assert(fc.property(fc.string(), () => Boolean(fakeBackend))));
