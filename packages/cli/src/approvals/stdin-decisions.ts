import { createInterface } from "node:readline";
import type { ApprovalDecision } from "@asm/contract";
import type { InStream, OutStream } from "../io.js";

/** One decision line: `{"approve": "<approvalId>", "decision": "allow" | "deny"}`. */
export interface DecisionLine {
  approvalId: string;
  decision: ApprovalDecision;
}

/** Reads one decision line; null (with why) for anything else. */
export function parseDecisionLine(text: string): DecisionLine | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { error: "not JSON" };
  }
  const line = typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
  if (typeof line.approve !== "string" || line.approve === "") return { error: 'needs "approve": "<approval id>"' };
  if (line.decision !== "allow" && line.decision !== "deny") return { error: '"decision" must be "allow" or "deny"' };
  return { approvalId: line.approve, decision: line.decision };
}

/**
 * Approval decisions a program writes on stdin as JSON lines (for `asm run --json` without a
 * terminal). A decision may come before or after its request; once stdin ends, every approval
 * still waiting (and any asked later) is denied, so a run never waits on a closed pipe.
 */
export class StdinDecisions {
  private readonly early = new Map<string, DecisionLine>();
  private readonly waiting = new Map<string, (line: DecisionLine) => void>();
  private ended = false;
  private readonly rl;

  constructor(input: InStream, notices: OutStream) {
    this.rl = createInterface({ input, terminal: false });
    this.rl.on("line", (text) => {
      if (text.trim() === "") return;
      const line = parseDecisionLine(text);
      if ("error" in line) {
        notices.write(`asm: ignored a stdin line (${line.error}): ${text.slice(0, 120)}\n`);
        return;
      }
      const resolve = this.waiting.get(line.approvalId);
      if (resolve === undefined) this.early.set(line.approvalId, line);
      else {
        this.waiting.delete(line.approvalId);
        resolve(line);
      }
    });
    this.rl.on("close", () => {
      this.ended = true;
      for (const [approvalId, resolve] of this.waiting) resolve({ approvalId, decision: "deny" });
      this.waiting.clear();
    });
  }

  /** The decision for one approval, once it comes. */
  decisionFor(approvalId: string): Promise<DecisionLine> {
    const early = this.early.get(approvalId);
    if (early !== undefined) {
      this.early.delete(approvalId);
      return Promise.resolve(early);
    }
    if (this.ended) return Promise.resolve({ approvalId, decision: "deny" });
    return new Promise((resolve) => this.waiting.set(approvalId, resolve));
  }

  /** Stops reading stdin. */
  close(): void {
    this.rl.close();
  }
}
