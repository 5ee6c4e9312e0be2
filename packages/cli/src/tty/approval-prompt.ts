import { createInterface } from "node:readline";
import type { ApprovalDecision, AsmEvent } from "@asm/contract";
import type { Sink } from "@asm/rendering";
import { print, type InStream, type OutStream } from "../io.js";

/** Options of {@link approvalSink}. */
export interface ApprovalSinkOptions {
  /** Sends the decision to the agent (`asm.approve`). */
  approve(approvalId: string, decision: ApprovalDecision): Promise<void>;
  /** Where to ask; null when there is no terminal to ask on. */
  terminal: { input: InStream; output: OutStream } | null;
  /** Where notices go. */
  stderr: OutStream;
  /** Hides and shows the status line around the question. */
  pause?(): void;
  resume?(): void;
  /** Ctrl-C pressed at the question: the run should be interrupted. */
  onInterrupt(): void;
}

/**
 * A sink that answers `approval_requested` events. On a terminal it asks `Allow …? [y/N]` and
 * sends the answer with `asm.approve`; without one it denies at once (rather than letting the run
 * wait for the approval timeout) and says so on stderr. Ctrl-C at the question denies and
 * interrupts the run.
 */
export function approvalSink(options: ApprovalSinkOptions): Sink {
  return {
    name: "approvals",
    write() {},
    async writeEvent(event: AsmEvent) {
      if (event.kind !== "approval_requested") return;
      const { approvalId, subject, details } = event.payload;
      let decision: ApprovalDecision = "deny";
      if (options.terminal === null) {
        await print(options.stderr, `asm: approval ${approvalId} (${subject}) denied: no terminal to ask on; use --permission-mode to pre-approve\n`);
      } else {
        options.pause?.();
        const answer = await ask(options.terminal, question(subject, details));
        options.resume?.();
        if (answer === "interrupt") options.onInterrupt();
        else if (/^y(es)?$/i.test(answer.trim())) decision = "allow";
      }
      try {
        await options.approve(approvalId, decision);
      } catch (error) {
        await print(options.stderr, `asm: could not answer approval ${approvalId}: ${(error as Error).message}\n`);
      }
    },
  };
}

function question(subject: string, details: Record<string, unknown>): string {
  const input = details.input ?? details.command ?? details.toolInput;
  const shown = input === undefined ? "" : ` ${typeof input === "string" ? input : JSON.stringify(input)}`;
  const short = shown.length > 160 ? `${shown.slice(0, 159)}…` : shown;
  return `Allow ${subject}${short}? [y/N] `;
}

function ask(terminal: { input: InStream; output: OutStream }, text: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: terminal.input, output: terminal.output, terminal: terminal.input.isTTY === true });
    let settled = false;
    const finish = (answer: string) => {
      if (settled) return;
      settled = true;
      rl.close();
      resolve(answer);
    };
    rl.on("SIGINT", () => {
      terminal.output.write("\n");
      finish("interrupt");
    });
    rl.on("close", () => finish(""));
    rl.question(text, (answer) => finish(answer));
  });
}
