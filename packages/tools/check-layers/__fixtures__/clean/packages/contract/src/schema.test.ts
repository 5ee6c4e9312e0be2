import { expect, it } from "vitest";
import { schema } from "./schema.js";

it("parses", () => expect(schema.parse("a")).toBe("a"));
