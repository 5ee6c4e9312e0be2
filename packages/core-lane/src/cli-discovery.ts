import { accessSync, constants, readFileSync, statSync } from "node:fs";
import { posix, win32 } from "node:path";
import { AsmError, type CliDiscovery } from "@asm/contract";
import { parseCmdShim } from "./cmd-shim.js";

/** Where a CLI binary was found. */
export type CliSource = "option" | "env" | "path" | "known_path";

/** A CLI ready to spawn: `command` followed by `prefixArgs`, then the run's own arguments. */
export interface ResolvedCli {
  /** The program to spawn. */
  command: string;
  /** Arguments that come before the invocation's (the script a `.cmd` shim wraps). */
  prefixArgs: string[];
  /** The file that was found (the shim itself, when one was resolved). */
  path: string;
  /** Which step of the search found it. */
  source: CliSource;
}

/** File checks used by {@link resolveCli}; injectable so other platforms can be tested. */
export interface CliFileSystem {
  /** True when `path` is a file this platform can execute. */
  isExecutableFile(path: string, platform: string): boolean;
  /** The file's text, or null when it cannot be read. */
  readText(path: string): string | null;
}

/** Options of {@link resolveCli}. */
export interface ResolveCliOptions {
  /** An explicit path or command name; wins over everything else. */
  cliPath?: string;
  /** The environment to read the profile's variable, PATH and PATHEXT from. Defaults to `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Defaults to `process.platform`. */
  platform?: string;
  /** Relative explicit paths resolve against this folder. Defaults to `process.cwd()`. */
  cwd?: string;
  /** The node binary used for `.cmd` shims that run a script with `node`. Defaults to `process.execPath`. */
  nodePath?: string;
  /** Defaults to the real file system. */
  fileSystem?: CliFileSystem;
}

/** The real file system. */
const nodeCliFileSystem: CliFileSystem = {
  isExecutableFile(path, platform) {
    try {
      if (!statSync(path).isFile()) return false;
      if (platform !== "win32") accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  },
  readText(path) {
    try {
      return readFileSync(path, "utf8");
    } catch {
      return null;
    }
  },
};

function looksLikePath(value: string): boolean {
  return value.includes("/") || value.includes("\\") || value.startsWith(".");
}

function windowsExtensions(env: Readonly<Record<string, string | undefined>>): string[] {
  const raw = env.PATHEXT ?? env.Pathext ?? ".COM;.EXE;.BAT;.CMD";
  return raw
    .split(";")
    .map((ext) => ext.trim().toLowerCase())
    .filter((ext) => ext.length > 0);
}

/**
 * Finds a provider's CLI. Order: the explicit `cliPath`, the profile's environment variable
 * (`CLAUDE_CLI_PATH`), each of `binaryNames` on PATH, then the profile's `knownPaths`. An explicit
 * value that looks like a path must exist and be executable; a bare name is looked up on PATH.
 * On Windows, names are tried with each PATHEXT extension and a `.cmd`/`.bat` shim is resolved to
 * the program it wraps (`node <script>`), so no `cmd.exe` sits between ASM and the CLI.
 *
 * Throws `AsmError("cli_not_found")` naming the install hint and every place looked.
 *
 * @example
 * ```ts
 * const cli = resolveCli(profile.cli, { cliPath: options.cliPath, env: process.env });
 * spawn(cli.command, [...cli.prefixArgs, ...args]);
 * ```
 */
export function resolveCli(discovery: CliDiscovery, options: ResolveCliOptions = {}): ResolvedCli {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const fileSystem = options.fileSystem ?? nodeCliFileSystem;
  const path = platform === "win32" ? win32 : posix;
  const cwd = options.cwd ?? process.cwd();
  const searched: string[] = [];
  const windows = platform === "win32";

  const finish = (file: string, source: CliSource): ResolvedCli => {
    if (windows && /\.(cmd|bat)$/i.test(file)) return resolveShim(file, source);
    return { command: file, prefixArgs: [], path: file, source };
  };

  const resolveShim = (file: string, source: CliSource): ResolvedCli => {
    const text = fileSystem.readText(file);
    const shim = text === null ? null : parseCmdShim(text, file);
    if (shim === null) {
      throw new AsmError(
        "cli_not_found",
        `found ${file}, but could not read the program it wraps; set the CLI path to that program instead`,
        { details: { path: file, searched } },
      );
    }
    if (shim.interpreter === null) return { command: shim.target, prefixArgs: [], path: file, source };
    let interpreter = shim.interpreter;
    if (/^node(\.exe)?$/i.test(interpreter)) {
      const local = path.join(path.dirname(file), "node.exe");
      interpreter = fileSystem.isExecutableFile(local, platform) ? local : (options.nodePath ?? process.execPath);
    }
    return { command: interpreter, prefixArgs: [...shim.interpreterArgs, shim.target], path: file, source };
  };

  // Candidate file names for a bare command name in one directory.
  const candidates = (dir: string, name: string): string[] => {
    if (!windows || path.extname(name) !== "") return [path.join(dir, name)];
    return windowsExtensions(env).map((ext) => path.join(dir, `${name}${ext}`));
  };

  const onPath = (name: string): string | null => {
    const dirs = (env.PATH ?? env.Path ?? "").split(windows ? ";" : ":").filter((dir) => dir.length > 0);
    for (const dir of dirs) {
      for (const file of candidates(dir, name)) {
        // A directory listed twice on PATH (or a known path also on PATH) is looked at once.
        if (searched.includes(file)) continue;
        searched.push(file);
        if (fileSystem.isExecutableFile(file, platform)) return file;
      }
    }
    return null;
  };

  const explicit = (value: string, source: "option" | "env", label: string): ResolvedCli => {
    if (looksLikePath(value)) {
      const file = path.resolve(cwd, value);
      searched.push(file);
      if (fileSystem.isExecutableFile(file, platform)) return finish(file, source);
      throw new AsmError("cli_not_found", `${label} points to ${file}, which is not an executable file`, {
        details: { path: file, source, searched, installHint: discovery.installHint },
      });
    }
    const found = onPath(value);
    if (found !== null) return finish(found, source);
    throw new AsmError("cli_not_found", `${label} names ${value}, which is not on PATH. Looked at: ${searched.join(", ")}`, {
      details: { name: value, source, searched, installHint: discovery.installHint },
    });
  };

  if (options.cliPath !== undefined && options.cliPath !== "") return explicit(options.cliPath, "option", "cliPath");
  const fromEnv = env[discovery.envVar];
  if (fromEnv !== undefined && fromEnv.trim() !== "") return explicit(fromEnv.trim(), "env", discovery.envVar);

  for (const name of discovery.binaryNames) {
    const found = onPath(name);
    if (found !== null) return finish(found, "path");
  }
  for (const known of discovery.knownPaths(env, platform)) {
    const names = windows && path.extname(known) === "" ? candidates(path.dirname(known), path.basename(known)) : [known];
    for (const file of names) {
      if (searched.includes(file)) continue;
      searched.push(file);
      if (fileSystem.isExecutableFile(file, platform)) return finish(file, "known_path");
    }
  }
  const name = discovery.binaryNames[0] ?? "the CLI";
  throw new AsmError(
    "cli_not_found",
    `${name} not found. ${discovery.installHint.replace(/\.$/, "")}. Set ${discovery.envVar} or the cliPath option to its location. ` +
      `Looked at: ${searched.length === 0 ? "(PATH is empty)" : searched.join(", ")}`,
    { details: { binaryNames: [...discovery.binaryNames], envVar: discovery.envVar, searched, installHint: discovery.installHint } },
  );
}
