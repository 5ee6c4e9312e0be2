import type { ReadStream } from "node:tty";
import { print, type InStream, type OutStream } from "../io.js";

/** How long after a question is drawn input still counts as typed before it (ms). */
export const TYPE_AHEAD_MS = 250;

/** What {@link readAnswer} got: the line typed, or Ctrl-C. */
export type Answer = { kind: "line"; text: string } | { kind: "interrupt" };

/**
 * Draws `question`, then reads one line typed after it. Keys pressed before the question was on
 * screen (and for {@link TYPE_AHEAD_MS} after, faster than anyone can read it) are thrown away:
 * a `y` typed ahead must not approve a tool nobody saw, and an early Enter must not answer for
 * the user. On a terminal the input is read in raw mode, so the line is echoed here, Backspace
 * edits it, Ctrl-C interrupts and Ctrl-D (or end of input) answers with an empty line.
 */
export async function readAnswer(input: InStream, output: OutStream, question: string, typeAheadMs = TYPE_AHEAD_MS): Promise<Answer> {
  await print(output, question);
  const tty = input.isTTY === true && typeof (input as Partial<ReadStream>).setRawMode === "function";
  // Raw mode makes whatever the terminal held in its line buffer readable at once, so it lands
  // inside the type-ahead window below and is dropped with the rest.
  if (tty) (input as ReadStream).setRawMode(true);
  const drawnAt = Date.now();
  return new Promise<Answer>((resolve) => {
    let text = "";
    const finish = (answer: Answer) => {
      input.off("data", onData);
      input.off("end", onEnd);
      if (tty) (input as ReadStream).setRawMode(false);
      input.pause();
      output.write("\n");
      resolve(answer);
    };
    const onEnd = () => finish({ kind: "line", text });
    const onData = (chunk: Buffer | string) => {
      if (Date.now() - drawnAt < typeAheadMs) return;
      for (const char of typeof chunk === "string" ? chunk : chunk.toString("utf8")) {
        if (char === "\u0003") return finish({ kind: "interrupt" });
        if (char === "\u0004" || char === "\r" || char === "\n") return finish({ kind: "line", text });
        if (char === "\u007f" || char === "\b") {
          if (text.length > 0) {
            text = text.slice(0, -1);
            if (tty) output.write("\b \b");
          }
        } else if (char >= " ") {
          text += char;
          if (tty) output.write(char);
        }
      }
    };
    input.on("data", onData);
    input.on("end", onEnd);
    input.resume();
  });
}
