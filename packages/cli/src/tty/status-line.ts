import type { AsmEvent } from "@asm/contract";
import { formatCost, painter, stripAnsi, type Sink } from "@asm/rendering";
import { formatDuration } from "../args/duration.js";
import { print, type OutStream } from "../io.js";
import { emptyRunStats, updateRunStats, type RunStats } from "./run-stats.js";

const CLEAR_LINE = "\r\u001b[2K";
// Save the cursor, go one row down, clear that row, restore the cursor.
const CLEAR_BELOW = "\u001b7\u001b[1B\r\u001b[2K\u001b8";
const SPINNER = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/** Options of {@link StatusLineSink}. */
export interface StatusLineOptions {
  /** What runs (`claude`), shown first. */
  label: string;
  color: boolean;
  /** Redraw period for the elapsed time (ms, default 250). */
  tickMs?: number;
  /** Clock (for tests). */
  now?: () => number;
}

/**
 * A terminal sink that writes the rendered run and keeps one status line under it: elapsed time,
 * tokens, cost, and the tool in progress (or the approval being waited on). The status line is
 * erased before each write and drawn again after it: on the cursor's own line when the output
 * ends with a newline, or on the row below while streamed text is still open on its line (the
 * cursor then goes back to the end of the text, so the next delta continues the sentence).
 */
export class StatusLineSink implements Sink {
  readonly name = "status-line";
  readonly stats: RunStats = emptyRunStats();
  private readonly paint;
  private readonly started: number;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private shown: "no" | "inline" | "below" = "no";
  private textOpen = false;
  // Visible characters written since the last newline (where the cursor is on an open line).
  private column = 0;
  // This sink ended an open text line itself (before a prompt), so the renderer's own line break
  // for that line is one too many.
  private lineClosedHere = false;
  private paused = false;
  private frame = 0;

  constructor(
    private readonly stream: OutStream,
    private readonly options: StatusLineOptions,
  ) {
    this.paint = painter(options.color);
    this.now = options.now ?? Date.now;
    this.started = this.now();
  }

  open(): void {
    this.timer = setInterval(() => this.redraw(), this.options.tickMs ?? 250);
    this.timer.unref();
  }

  async write(text: string): Promise<void> {
    if (this.lineClosedHere && text.startsWith("\n")) text = text.slice(1);
    this.lineClosedHere = false;
    if (text === "") return;
    this.erase();
    await print(this.stream, this.options.color ? text : stripAnsi(text));
    const visible = stripAnsi(text);
    const lastNewline = visible.lastIndexOf("\n");
    this.column = lastNewline === -1 ? this.column + visible.length : visible.length - lastNewline - 1;
    this.textOpen = !text.endsWith("\n");
    this.draw();
  }

  async writeEvent(event: AsmEvent, text: string): Promise<void> {
    updateRunStats(this.stats, event);
    if (text === "") {
      this.redraw();
      return;
    }
    await this.write(text);
  }

  /** Hides the status line while something else uses the terminal (an approval prompt). */
  pause(): void {
    this.erase();
    if (this.textOpen) {
      this.stream.write("\n");
      this.textOpen = false;
      this.column = 0;
      this.lineClosedHere = true;
    }
    this.paused = true;
  }

  /** Shows the status line again after {@link pause}. */
  resume(): void {
    this.paused = false;
    this.draw();
  }

  /** The status text (without colour). */
  statusText(): string {
    const parts = [`${SPINNER[this.frame % SPINNER.length]} ${this.options.label}`, formatDuration(this.now() - this.started)];
    if (this.stats.turns > 0) parts.push(`turn ${this.stats.turns}`);
    parts.push(`tk ${this.stats.inputTokens}/${this.stats.outputTokens}`);
    parts.push(formatCost(this.stats.costUsd));
    if (this.stats.awaitingApproval) parts.push("waiting for approval");
    else if (this.stats.tool) parts.push(`running ${this.stats.tool.name}`);
    return parts.join(" · ");
  }

  flush(): void {}

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.erase();
    if (this.textOpen) {
      this.stream.write("\n");
      this.textOpen = false;
      this.column = 0;
    }
    this.paused = true;
  }

  private redraw(): void {
    this.frame += 1;
    this.erase();
    this.draw();
  }

  private draw(): void {
    if (this.paused) return;
    const columns = this.stream.columns ?? 80;
    let text = this.statusText();
    if (text.length > columns - 1) text = text.slice(0, Math.max(0, columns - 2)) + "…";
    const status = this.paint("dim", text);
    if (!this.textOpen) {
      this.stream.write(status);
      this.shown = "inline";
      return;
    }
    const column = this.column % columns;
    // A line filled to the last column leaves the cursor in the terminal's pending-wrap state,
    // where "go back to this column" is ambiguous: skip the status line until the next write.
    if (column === 0 && this.column > 0) return;
    // The newline scrolls when the text is on the last row, so the row below always exists.
    this.stream.write(`\n${CLEAR_LINE}${status}\u001b[1A\u001b[${column + 1}G`);
    this.shown = "below";
  }

  private erase(): void {
    if (this.shown === "inline") this.stream.write(CLEAR_LINE);
    else if (this.shown === "below") this.stream.write(CLEAR_BELOW);
    this.shown = "no";
  }
}
