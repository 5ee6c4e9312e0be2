import { isAsmError } from "@asm/contract";
import { describe, expect, it } from "vitest";
import { BoundedMap } from "./bounded-map.js";

describe("BoundedMap", () => {
  it("forgets the oldest insertion beyond its capacity", () => {
    const map = new BoundedMap<string, number>(3);
    for (let index = 0; index < 1000; index += 1) map.set(`id-${index}`, index);
    expect(map.size).toBe(3);
    expect([...map.keys()]).toEqual(["id-997", "id-998", "id-999"]);
  });

  it("updating a kept key does not evict another", () => {
    const map = new BoundedMap<string, number>(2).set("a", 1).set("b", 2);
    map.set("a", 3);
    expect([...map.entries()]).toEqual([
      ["a", 3],
      ["b", 2],
    ]);
  });

  it("refuses a capacity that is not a positive integer", () => {
    for (const capacity of [0, -1, 1.5, Number.NaN]) {
      let thrown: unknown;
      try {
        new BoundedMap(capacity);
      } catch (error) {
        thrown = error;
      }
      expect(isAsmError(thrown) && thrown.code).toBe("config_invalid");
    }
  });
});
