import { defineTool, type HostToolContext } from "@asm/contract";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { checkHostTools } from "./host-tool-list.js";
import { executeHostTool } from "./tool-executor.js";

const add = defineTool({
  name: "add",
  description: "Adds two numbers",
  inputSchema: z.object({ a: z.number(), b: z.number() }),
  call: ({ a, b }) => String(a + b),
});

function context(signal: AbortSignal = new AbortController().signal): HostToolContext {
  return { runId: "run-1", sessionId: "session-1", provider: "claude", signal };
}

describe("executeHostTool", () => {
  it("runs a tool with parsed input and returns its text", async () => {
    const tools = checkHostTools([add], "tools");
    await expect(executeHostTool(tools, "add", { a: 2, b: 3 }, context())).resolves.toEqual({ content: [{ type: "text", text: "5" }], isError: false });
  });

  it("hands the tool the run's ids and sends a non-string result as JSON", async () => {
    const who = defineTool({ name: "who", description: "", inputSchema: z.object({}), call: (_input, ctx) => ({ run: ctx.runId, session: ctx.sessionId, provider: ctx.provider }) });
    const result = await executeHostTool(checkHostTools([who], "tools"), "who", {}, context());
    expect(JSON.parse(result.content[0]?.text ?? "")).toEqual({ run: "run-1", session: "session-1", provider: "claude" });
  });

  it("turns a throwing tool into an error result with the message", async () => {
    const boom = defineTool({
      name: "boom",
      description: "",
      inputSchema: z.object({}),
      call: () => {
        throw new Error("disk on fire");
      },
    });
    const rejects = defineTool({ name: "rejects", description: "", inputSchema: z.object({}), call: () => Promise.reject(new Error("later fire")) });
    const tools = checkHostTools([boom, rejects], "tools");
    await expect(executeHostTool(tools, "boom", {}, context())).resolves.toEqual({ content: [{ type: "text", text: "Tool boom failed: disk on fire" }], isError: true });
    const late = await executeHostTool(tools, "rejects", {}, context());
    expect(late).toMatchObject({ isError: true, content: [{ text: "Tool rejects failed: later fire" }] });
  });

  it("answers an unknown tool name with an error result naming the tools it has", async () => {
    const result = await executeHostTool(checkHostTools([add], "tools"), "subtract", { a: 1, b: 2 }, context());
    expect(result.isError).toBe(true);
    expect(result.content[0]?.text).toBe("Unknown tool: subtract. Available: add");
  });

  it("refuses input the schema rejects without calling the tool", async () => {
    let called = false;
    const guarded = defineTool({
      name: "add",
      description: "",
      inputSchema: z.object({ a: z.number(), b: z.number() }),
      call: () => {
        called = true;
        return "called";
      },
    });
    const result = await executeHostTool(checkHostTools([guarded], "tools"), "add", { a: "2" }, context());
    expect(result.isError).toBe(true);
    expect(result.content[0]?.text).toMatch(/^Invalid input for add: a: .*; b: /);
    expect(called).toBe(false);
  });

  it("resolves a hanging call with an error result when the signal aborts, and the tool sees the abort", async () => {
    const controller = new AbortController();
    let toolSignal: AbortSignal | undefined;
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const hang = defineTool({
      name: "hang",
      description: "",
      inputSchema: z.object({}),
      call: (_input, ctx) => {
        toolSignal = ctx.signal;
        started();
        return new Promise(() => undefined);
      },
    });
    const call = executeHostTool(checkHostTools([hang], "tools"), "hang", {}, context(controller.signal));
    await running;
    controller.abort(new Error("Run interrupted"));
    await expect(call).resolves.toEqual({ content: [{ type: "text", text: "Tool hang was aborted: Run interrupted" }], isError: true });
    expect(toolSignal?.aborted).toBe(true);
  });
});

describe("checkHostTools", () => {
  it("refuses malformed definitions with config_invalid naming the key", () => {
    const cases: unknown[] = [
      "add",
      [{ ...add, name: "bad name" }],
      [{ ...add, call: 1 }],
      [{ ...add, inputSchema: { type: "object" } }],
      [{ ...add, inputSchema: z.string() }],
      [add, add],
    ];
    for (const tools of cases) {
      expect(() => checkHostTools(tools, "hostTools")).toThrow(expect.objectContaining({ code: "config_invalid", details: expect.objectContaining({ key: "hostTools" }) }));
    }
  });

  it("describes the input as a JSON Schema object", () => {
    const checked = checkHostTools([add], "tools").get("add");
    expect(checked?.jsonSchema).toMatchObject({ type: "object", properties: { a: { type: "number" }, b: { type: "number" } }, required: ["a", "b"] });
  });
});
