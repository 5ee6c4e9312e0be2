import { win32 } from "node:path";

/** What a Windows `.cmd` shim (as written by npm's `cmd-shim`) runs. */
export interface CmdShimTarget {
  /**
   * The interpreter the shim starts (`node`, `sh`, or a path such as `<dir>\node.exe`), or null
   * when the shim runs `target` directly (a native executable).
   */
  interpreter: string | null;
  /** Arguments the shim passes to the interpreter before the script. */
  interpreterArgs: string[];
  /** Absolute path of the script or program the shim wraps. */
  target: string;
}

const QUOTED = /"([^"]*)"/g;

function expandDp0(text: string, shimDir: string): string {
  // `%~dp0` and `%dp0%` both expand to the shim's folder with a trailing backslash.
  return text.replace(/%~dp0%?|%dp0%/gi, `${shimDir}\\`);
}

/**
 * Reads the text of an npm `.cmd` shim and returns the program it wraps, so the CLI can be spawned
 * without `cmd.exe` (which mangles arguments, caps the command line at 8191 characters, and is
 * killed instead of the real CLI). Handles both the current `cmd-shim` layout (`SET "_prog=node"`
 * … `"%_prog%" "%dp0%\…\cli.js" %*`) and the older `@IF EXIST "%~dp0\node.exe"` layout. Returns
 * null when the text is not a shim it understands.
 *
 * @example
 * ```ts
 * parseCmdShim(text, "C:\\npm\\claude.cmd");
 * // { interpreter: "node", interpreterArgs: [], target: "C:\\npm\\node_modules\\@anthropic-ai\\claude-code\\cli.js" }
 * ```
 */
export function parseCmdShim(text: string, shimPath: string): CmdShimTarget | null {
  const shimDir = win32.dirname(shimPath);
  const lines = text.split(/\r?\n/).filter((line) => line.includes("%*"));
  // The last line that forwards `%*` is the one that runs when no local node.exe exists.
  const line = lines.at(-1);
  if (line === undefined) return null;
  const beforeArgs = line.slice(0, line.lastIndexOf("%*"));
  const quoted = [...beforeArgs.matchAll(QUOTED)].map((match) => ({ value: match[1] ?? "", index: match.index }));
  const targetToken = [...quoted].reverse().find((token) => /%~?dp0/i.test(token.value) && !/node\.exe$/i.test(token.value));
  if (targetToken === undefined) return null;
  const target = win32.normalize(expandDp0(targetToken.value, shimDir));

  const head = beforeArgs.slice(0, targetToken.index);
  const progIndex = head.toLowerCase().lastIndexOf('"%_prog%"');
  let interpreter: string | null = null;
  let between = "";
  if (progIndex !== -1) {
    // `SET "_prog=%dp0%\node.exe"` comes first, then the fallback `SET "_prog=node"`.
    const assignments = [...text.matchAll(/SET\s+"_prog=([^"]+)"/gi)];
    interpreter = assignments.at(-1)?.[1] ?? null;
    if (interpreter === null) return null;
    between = head.slice(progIndex + '"%_prog%"'.length);
  } else {
    // Old layout: `node  "%~dp0\…\cli.js" %*`; the interpreter is the bare word before the target.
    const last = head.trim().split(/\s+/).at(-1);
    if (last !== undefined && /^[\w.-]+$/.test(last)) interpreter = last;
  }
  if (interpreter !== null) interpreter = expandDp0(interpreter, shimDir);
  const interpreterArgs = between
    .split(/\s+/)
    .map((word) => word.replace(/^"|"$/g, ""))
    .filter((word) => word.length > 0);
  return { interpreter, interpreterArgs, target };
}
