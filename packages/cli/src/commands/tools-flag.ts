import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { AsmError, type AnyHostTool } from "@asm/contract";
import { usageError } from "../exit-codes.js";

/**
 * Takes `--tools <module>` (or `--tools=<module>`) out of `asm run`'s arguments, so the run flags
 * parse as before. Returns the rest and the module path.
 */
export function takeToolsFlag(argv: readonly string[]): { argv: string[]; path: string | undefined } {
  const rest: string[] = [];
  let path: string | undefined;
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (arg === "--") {
      rest.push(...argv.slice(index));
      break;
    }
    if (arg === "--tools" || arg.startsWith("--tools=")) {
      const value = arg === "--tools" ? argv[++index] : arg.slice("--tools=".length);
      if (value === undefined || value.trim() === "") throw usageError("--tools needs a module that exports host tools: --tools ./tools.mjs", { flag: "--tools" });
      path = value.trim();
      continue;
    }
    rest.push(arg);
  }
  return { argv: rest, path };
}

function looksLikeTool(value: unknown): value is AnyHostTool {
  return typeof value === "object" && value !== null && typeof (value as { name?: unknown }).name === "string" && typeof (value as { call?: unknown }).call === "function";
}

/**
 * Loads the host tools a module exports: its default export (an array of tools or one tool), a
 * `tools` array, or else every named export that is a tool. The kernel checks each definition.
 * A module that cannot be imported or exports none → `AsmError("config_invalid")`.
 */
export async function loadToolsModule(path: string, cwd: string = process.cwd()): Promise<AnyHostTool[]> {
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(resolve(cwd, path)).href)) as Record<string, unknown>;
  } catch (error) {
    throw new AsmError("config_invalid", `cannot load the tools module ${path}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
      details: { key: "tools", path },
    });
  }
  const picked = module.default ?? module.tools;
  const tools = Array.isArray(picked) ? (picked as unknown[]) : picked !== undefined ? [picked] : Object.values(module).filter(looksLikeTool);
  if (tools.length === 0) throw new AsmError("config_invalid", `the tools module ${path} exports no host tools`, { details: { key: "tools", path } });
  return tools as AnyHostTool[];
}
