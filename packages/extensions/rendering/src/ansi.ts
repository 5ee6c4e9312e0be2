// CSI sequences (colours, cursor moves, erase) and OSC sequences (titles, hyperlinks). Matching
// control characters is the point here.
// eslint-disable-next-line no-control-regex
const ANSI_PATTERN = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;

/**
 * Removes ANSI escape sequences (colours, cursor movement, erase, OSC titles and links) from
 * text, for files and pipes that should hold plain text.
 *
 * @example
 * ```ts
 * stripAnsi("\u001b[32mok\u001b[0m"); // "ok"
 * ```
 */
export function stripAnsi(text: string): string {
  return text.replace(ANSI_PATTERN, "");
}

/** The colours renderers use. */
export type AnsiColor = "red" | "green" | "yellow" | "blue" | "magenta" | "cyan" | "gray" | "bold" | "dim";

const CODES: Record<AnsiColor, [number, number]> = {
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  blue: [34, 39],
  magenta: [35, 39],
  cyan: [36, 39],
  gray: [90, 39],
  bold: [1, 22],
  dim: [2, 22],
};

/** A function that colours text, or leaves it alone when colour is off. */
export type Paint = (color: AnsiColor, text: string) => string;

/**
 * Returns a painter: with `enabled` it wraps text in the colour's ANSI codes, otherwise it
 * returns the text unchanged.
 */
export function painter(enabled: boolean): Paint {
  if (!enabled) return (_color, text) => text;
  return (color, text) => {
    if (text === "") return text;
    const [open, close] = CODES[color];
    return `\u001b[${open}m${text}\u001b[${close}m`;
  };
}
