import { backendEvent, type BackendEvent, type ProfileParser } from "@asm/contract";
import { describe, expect, it } from "vitest";
import { fuzzParser } from "./fuzz-parser.js";

const LINES = ['{"type":"text","text":"hi","usage":{"input_tokens":3}}', '{"type":"done","text":"bye"}'];

/** A parser built with `map` for object lines; exit gives a result unless one was seen. */
function parserOf(map: (line: Record<string, unknown>) => BackendEvent[]): ProfileParser {
  return {
    line(text) {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (_error) {
        return [];
      }
      return typeof value === "object" && value !== null && !Array.isArray(value) ? map(value as Record<string, unknown>) : [];
    },
    stderr: () => [],
    exit: (info) => (info.outcomeSeen ? [] : [backendEvent("result", { text: "" })]),
  };
}

const options = (map: (line: Record<string, unknown>) => BackendEvent[]) => ({
  createParser: () => parserOf(map),
  lines: LINES,
  types: ["text", "done"],
  fields: ["text", "usage"],
  numRuns: 300,
});

describe("fuzzParser", () => {
  it("passes a parser that checks what it reads", () => {
    const report = fuzzParser(options((line) => (typeof line["text"] === "string" ? [backendEvent("assistant_delta", { content: line["text"] })] : [])));
    expect(report.runs).toBeGreaterThanOrEqual(300);
    expect(report.lines).toBeGreaterThan(300);
    expect(report.events).toBeGreaterThan(0);
  });

  it("catches a parser that calls a value's toString", () => {
    expect(() => fuzzParser(options((line) => [backendEvent("assistant_delta", { content: `${String(line["text"])}` })]))).toThrow(/Cannot convert object to primitive value|toString/);
  });

  it("catches a payload the contract rejects (a token count of 2^53)", () => {
    const usage = (line: Record<string, unknown>) => {
      const raw = (line["usage"] as Record<string, unknown> | undefined)?.["input_tokens"];
      return typeof raw === "number" ? [backendEvent("cost_update", { inputTokens: raw, outputTokens: 0, costUsd: null })] : [];
    };
    expect(() => fuzzParser(options(usage))).toThrow(/invalid cost_update payload/);
  });

  it("catches raw kept as deep as it came (2,500 levels)", () => {
    expect(() => fuzzParser(options((line) => [backendEvent("raw", { stream: "stdout", content: "" }, { raw: line })]))).toThrow(/nested more than 200 levels/);
  });

  it("catches a second outcome", () => {
    expect(() => fuzzParser(options((line) => (line["type"] === "done" ? [backendEvent("result", { text: "x" })] : [])))).toThrow(/\d+ outcomes after exit/);
  });
});
