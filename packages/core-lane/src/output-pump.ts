import type { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { JsonlReader, type JsonlOverflow } from "./jsonl-reader.js";
import { StderrTail } from "./stderr-tail.js";

/** What the pump hands on. */
export interface OutputHandlers {
  /** Some output arrived on stdout or stderr (the idle watchdog's clock). */
  output(): void;
  /** One complete stdout line (only while the pump frames stdout). */
  line(text: string): void;
  /** Decoded stderr text. */
  stderr(text: string): void;
  /** A stdout line grew past the cap; nothing of it was delivered. */
  overflow(overflow: JsonlOverflow): void;
  /** Both streams have ended. */
  ended(): void;
}

/**
 * Longest stderr text held back waiting for its newline. Stderr is handed on in whole lines so a
 * secret is never split across two events (redaction matches within one string); a line longer
 * than this is handed on in pieces.
 */
const STDERR_LINE_CAP = 16 * 1024;

/**
 * Where to cut pending stderr text: after its last newline; when what follows is longer than
 * {@link STDERR_LINE_CAP}, after its last whitespace (a credential has none, so none is split);
 * failing that, at the end.
 */
function stderrCut(text: string): number {
  const line = text.lastIndexOf("\n") + 1;
  if (text.length - line <= STDERR_LINE_CAP) return line;
  for (let index = text.length - 1; index >= line; index--) {
    const code = text.charCodeAt(index);
    if (code === 32 || code === 9 || code === 13) return text.length - (index + 1) <= STDERR_LINE_CAP ? index + 1 : text.length;
  }
  return text.length;
}

/** How stdout is read: framed into lines, or read and discarded (after the outcome). */
export type StdoutMode = "framing" | "discarding";
/** Whether reading flows or is paused for a slow consumer. */
export type FlowState = "flowing" | "paused";
/** Whether a stream may still deliver data. */
export type StreamState = "open" | "ended";

/**
 * Reads a CLI's stdout and stderr: frames stdout as lines (up to `maxLineBytes`, never truncated),
 * decodes stderr and keeps its tail for exit classification, pauses both for backpressure, and
 * reports when both have ended.
 */
export class OutputPump {
  private readonly reader: JsonlReader;
  private readonly tail: StderrTail;
  private readonly decoder = new StringDecoder("utf8");
  private mode: StdoutMode = "framing";
  private flow: FlowState = "flowing";
  private stdoutState: StreamState = "open";
  private stderrState: StreamState = "open";
  /** Stderr text after its last newline, waiting for the rest of its line. */
  private stderrPending = "";

  constructor(
    private readonly stdout: Readable,
    private readonly stderrStream: Readable,
    options: { maxLineBytes: number; stderrTailBytes: number },
    private readonly handlers: OutputHandlers,
  ) {
    this.reader = new JsonlReader({ maxLineBytes: options.maxLineBytes });
    this.tail = new StderrTail(options.stderrTailBytes);
  }

  /** Starts reading. */
  attach(): void {
    this.stdout.on("data", (chunk: Buffer) => this.onStdout(chunk));
    this.stdout.on("end", () => this.onStdoutEnd());
    this.stdout.on("error", () => this.onStdoutEnd());
    this.stderrStream.on("data", (chunk: Buffer) => this.onStderr(chunk));
    this.stderrStream.on("end", () => this.onStderrEnd());
    this.stderrStream.on("error", () => this.onStderrEnd());
  }

  /** Whether reading is paused. */
  get isPaused(): boolean {
    return this.flow === "paused";
  }

  /** Whether both streams have ended. */
  get isEnded(): boolean {
    return this.stdoutState === "ended" && this.stderrState === "ended";
  }

  /** The last part of stderr. */
  stderrTail(): string {
    return this.tail.text();
  }

  /** Stops reading until {@link resume} (the pipes fill and the CLI blocks on write). */
  pause(): void {
    if (this.flow === "paused") return;
    this.flow = "paused";
    this.stdout.pause();
    this.stderrStream.pause();
  }

  /** Reads again. */
  resume(): void {
    if (this.flow === "flowing") return;
    this.flow = "flowing";
    this.stdout.resume();
    this.stderrStream.resume();
  }

  /** From now on stdout is read and thrown away, unframed (nobody wants what comes after the outcome). */
  discard(): void {
    this.mode = "discarding";
  }

  /**
   * Ends both streams now, whatever holds them open (a process outside the run's group that kept
   * the pipe), delivering what is left of a framed line.
   */
  forceEnd(): void {
    this.stdout.destroy();
    this.stderrStream.destroy();
    this.onStdoutEnd();
    this.onStderrEnd();
  }

  /** Releases the streams. */
  destroy(): void {
    this.stdout.destroy();
    this.stderrStream.destroy();
  }

  private onStdout(chunk: Buffer): void {
    this.handlers.output();
    if (this.discarding()) return;
    for (const line of this.reader.push(chunk)) {
      this.handlers.line(line);
      // The line may have been the outcome, after which nobody listens.
      if (this.discarding()) return;
    }
    this.checkOverflow();
  }

  // A method, so that TypeScript does not narrow `mode` across the handler calls that change it.
  private discarding(): boolean {
    return this.mode === "discarding";
  }

  private onStdoutEnd(): void {
    if (this.stdoutState === "ended") return;
    if (!this.discarding()) {
      for (const line of this.reader.end()) this.handlers.line(line);
      this.checkOverflow();
    }
    this.stdoutState = "ended";
    if (this.isEnded) this.handlers.ended();
  }

  private onStderr(chunk: Buffer): void {
    this.handlers.output();
    this.tail.push(chunk);
    const text = this.stderrPending + this.decoder.write(chunk);
    const cut = stderrCut(text);
    this.stderrPending = text.slice(cut);
    if (cut > 0) this.handlers.stderr(text.slice(0, cut));
  }

  private onStderrEnd(): void {
    if (this.stderrState === "ended") return;
    const rest = this.stderrPending + this.decoder.end();
    this.stderrPending = "";
    if (rest !== "") this.handlers.stderr(rest);
    this.stderrState = "ended";
    if (this.isEnded) this.handlers.ended();
  }

  private checkOverflow(): void {
    const overflow = this.reader.overflow;
    if (overflow !== null) this.handlers.overflow(overflow);
  }
}
