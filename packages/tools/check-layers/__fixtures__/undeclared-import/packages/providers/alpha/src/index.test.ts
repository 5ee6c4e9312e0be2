import fc from "fast-check";
import { it } from "vitest";

it("ok", () => void fc);
