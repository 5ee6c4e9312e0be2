import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { parseDecisionLine, StdinDecisions } from "./stdin-decisions.js";

describe("StdinDecisions", () => {
  it("matches decisions to approvals whichever comes first, and denies the rest when stdin ends", async () => {
    const input = new PassThrough();
    const notices = new PassThrough();
    let noticed = "";
    notices.on("data", (chunk: Buffer) => (noticed += chunk.toString("utf8")));
    const decisions = new StdinDecisions(input, notices);
    input.write('{"approve":"a1","decision":"allow"}\n');
    await new Promise((resolve) => setTimeout(resolve, 10));
    await expect(decisions.decisionFor("a1")).resolves.toEqual({ approvalId: "a1", decision: "allow" });
    const later = decisions.decisionFor("a2");
    input.write("garbage\n");
    input.write('{"approve":"a2","decision":"deny"}\n');
    await expect(later).resolves.toEqual({ approvalId: "a2", decision: "deny" });
    expect(noticed).toContain("ignored a stdin line (not JSON): garbage");
    const pending = decisions.decisionFor("a3");
    input.end();
    await expect(pending).resolves.toEqual({ approvalId: "a3", decision: "deny" });
    await expect(decisions.decisionFor("a4")).resolves.toEqual({ approvalId: "a4", decision: "deny" });
  });

  it("says what is wrong with a line", () => {
    expect(parseDecisionLine('{"decision":"allow"}')).toEqual({ error: 'needs "approve": "<approval id>"' });
    expect(parseDecisionLine('{"approve":"x","decision":"yes"}')).toEqual({ error: '"decision" must be "allow" or "deny"' });
  });
});
