import { usageError } from "../exit-codes.js";

/** The `--ssh-*` flags. */
export interface SshFlags {
  sshHost?: string;
  sshUser?: string;
  sshPort?: string;
  sshIdentityFile?: string;
  /** Repeatable `--ssh-option KEY=VALUE` (ssh's `-o`). */
  sshOptions?: string[];
}

/**
 * Builds the `ssh_exec` execution surface from `--ssh-host [user@]host`, `--ssh-user`,
 * `--ssh-port`, `--ssh-identity-file` and repeatable `--ssh-option KEY=VALUE`, with
 * `BatchMode=yes` and a 10 s connect timeout (an unattended run must fail rather than prompt).
 * Returns undefined without `--ssh-host`; the other flags without it, a bad port, an option that
 * is not `KEY=VALUE`, or two different users are usage errors.
 *
 * @example
 * ```ts
 * sshSurfaceFromFlags({ sshHost: "dev@build-box", sshPort: "2222" });
 * // { kind: "ssh_exec", transportOptions: { destination: "build-box", user: "dev", port: 2222, batchMode: true, connectTimeoutSeconds: 10 } }
 * ```
 */
export function sshSurfaceFromFlags(flags: SshFlags): { kind: "ssh_exec"; transportOptions: Record<string, unknown> } | undefined {
  if (flags.sshHost === undefined) {
    const stray = (["sshUser", "sshPort", "sshIdentityFile", "sshOptions"] as const).find((key) => flags[key] !== undefined);
    if (stray !== undefined) throw usageError(`--${kebab(stray)} needs --ssh-host`, { flag: `--${kebab(stray)}` });
    return undefined;
  }
  const host = flags.sshHost.trim();
  const at = host.lastIndexOf("@");
  const userFromHost = at > 0 ? host.slice(0, at) : undefined;
  const destination = at >= 0 ? host.slice(at + 1) : host;
  if (destination === "" || /\s/.test(destination)) throw usageError(`--ssh-host must be [user@]host (got "${flags.sshHost}")`, { flag: "--ssh-host" });
  if (userFromHost !== undefined && flags.sshUser !== undefined && flags.sshUser !== userFromHost) {
    throw usageError(`--ssh-host names user ${userFromHost} but --ssh-user says ${flags.sshUser}`, { flag: "--ssh-user" });
  }
  const user = flags.sshUser ?? userFromHost;
  let port: number | undefined;
  if (flags.sshPort !== undefined) {
    port = Number(flags.sshPort);
    if (!Number.isInteger(port) || port < 1 || port > 65_535) throw usageError(`--ssh-port must be a port number 1-65535 (got "${flags.sshPort}")`, { flag: "--ssh-port" });
  }
  const transportOptions: Record<string, unknown> = { destination };
  if (user !== undefined) transportOptions.user = user;
  if (port !== undefined) transportOptions.port = port;
  if (flags.sshIdentityFile !== undefined) transportOptions.identityFile = flags.sshIdentityFile;
  if (flags.sshOptions !== undefined) {
    const options: Record<string, string> = {};
    for (const option of flags.sshOptions) {
      const match = /^([A-Za-z][A-Za-z0-9]*)=(.+)$/s.exec(option.trim());
      if (match === null) throw usageError(`--ssh-option must be KEY=VALUE (got "${option}")`, { flag: "--ssh-option" });
      options[match[1]!] = match[2]!;
    }
    transportOptions.options = options;
  }
  transportOptions.batchMode = true;
  transportOptions.connectTimeoutSeconds = 10;
  return { kind: "ssh_exec", transportOptions };
}

/** The `--ollama*` flags. */
export interface OllamaFlags {
  ollama?: boolean;
  ollamaModel?: string;
  ollamaBaseUrl?: string;
}

/**
 * The common Ollama options from `--ollama`, `--ollama-model` and `--ollama-base-url`. Giving a
 * model or base URL implies `--ollama`. Providers without the Ollama feature (Gemini, Amp) reject
 * these options when the run is validated.
 */
export function ollamaOptionsFromFlags(flags: OllamaFlags): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  if (flags.ollama === true || flags.ollamaModel !== undefined || flags.ollamaBaseUrl !== undefined) options.ollama = true;
  if (flags.ollamaModel !== undefined) options.ollamaModel = flags.ollamaModel;
  if (flags.ollamaBaseUrl !== undefined) options.ollamaBaseUrl = flags.ollamaBaseUrl;
  return options;
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}
