import type { ApprovalDecision, AsmEvent } from "@asm/contract";
import { painter, type Sink } from "@asm/rendering";
import { describeApproval, type ApprovalView } from "../approvals/describe-approval.js";
import type { StdinDecisions } from "../approvals/stdin-decisions.js";
import { print, type InStream, type OutStream } from "../io.js";
import { readAnswer, TYPE_AHEAD_MS } from "./read-answer.js";

/** Options of {@link approvalSink}. */
export interface ApprovalSinkOptions {
  /** Sends the decision to the agent (`asm.approve`). */
  approve(approvalId: string, decision: ApprovalDecision): Promise<void>;
  /** Where to ask; null when there is no terminal to ask on. */
  terminal: { input: InStream; output: OutStream } | null;
  /** Where notices go. */
  stderr: OutStream;
  /** Tools approved without asking (`--allow-tool`): native names or normalized kinds. */
  allowTools?: readonly string[];
  /** Decisions a program writes on stdin (`--json` without a terminal); null to deny at once. */
  decisions?: StdinDecisions | null;
  /** Colours in the question. */
  color?: boolean;
  /** Hides and shows the status line around the question. */
  pause?(): void;
  resume?(): void;
  /** Ctrl-C pressed at the question: the run should be interrupted. */
  onInterrupt(): void;
  /** Type-ahead window after the question is drawn (ms; tests shorten it). */
  typeAheadMs?: number;
}

/** True when `--allow-tool` names this tool, natively (any case) or by its normalized kind. */
function isPreApproved(view: ApprovalView, allowTools: readonly string[]): boolean {
  const tool = view.tool.toLowerCase();
  return allowTools.some((name) => {
    const wanted = name.trim().toLowerCase();
    return wanted === tool || wanted === view.kind;
  });
}

/** The question asked for one approval: the tool, what it would do, then `Allow? [y/N]`. */
function approvalQuestion(view: ApprovalView, color: boolean): string {
  const paint = painter(color);
  const body = view.lines.map((line) => `    ${line}\n`).join("");
  return `${paint("magenta", `? ${view.tool} asks for approval`)}\n${body}  Allow? [y/N] `;
}

/**
 * A sink that answers `approval_requested` events. Tools named by `--allow-tool` are allowed at
 * once. Otherwise, on a terminal it shows the tool and its input and asks `Allow? [y/N]` (input
 * typed before the question was drawn does not count), and sends the answer with `asm.approve`;
 * with a stdin decision channel it waits for the program's decision; with neither it denies at
 * once (rather than letting the run wait for the approval timeout) and says so on stderr. Ctrl-C
 * at the question denies and interrupts the run.
 */
export function approvalSink(options: ApprovalSinkOptions): Sink {
  const send = async (approvalId: string, decision: ApprovalDecision) => {
    try {
      await options.approve(approvalId, decision);
    } catch (error) {
      await print(options.stderr, `asm: could not answer approval ${approvalId}: ${(error as Error).message}\n`);
    }
  };
  return {
    name: "approvals",
    write() {},
    async writeEvent(event: AsmEvent) {
      if (event.kind !== "approval_requested") return;
      const { approvalId, subject, details } = event.payload;
      const view = describeApproval(subject, details);
      if (isPreApproved(view, options.allowTools ?? [])) {
        await send(approvalId, "allow");
        return;
      }
      if (options.terminal !== null) {
        options.pause?.();
        const answer = await readAnswer(options.terminal.input, options.terminal.output, approvalQuestion(view, options.color === true), options.typeAheadMs ?? TYPE_AHEAD_MS);
        options.resume?.();
        if (answer.kind === "interrupt") options.onInterrupt();
        await send(approvalId, answer.kind === "line" && /^y(es)?$/i.test(answer.text.trim()) ? "allow" : "deny");
        return;
      }
      const channel = options.decisions;
      if (channel) {
        // Not awaited: the events keep flowing (and printing) while the program decides.
        void channel.decisionFor(approvalId).then((line) => send(approvalId, line.decision));
        return;
      }
      // The status line may be on stderr too (--json): out of the way of the notice.
      options.pause?.();
      await print(
        options.stderr,
        `asm: approval ${approvalId} (${view.tool}) denied: no terminal to ask on; use --allow-tool ${view.tool} or --permission-mode to pre-approve\n`,
      );
      options.resume?.();
      await send(approvalId, "deny");
    },
  };
}
