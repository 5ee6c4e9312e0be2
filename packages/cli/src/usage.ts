/** `asm --help`. */
export const MAIN_USAGE = `asm — run coding-agent CLIs (claude, codex, gemini, amp) through one interface

usage:
  asm run "<prompt>" --provider <name> [flags]   run one prompt, rendered live
  asm demo [--replay]                            a real session with no agent CLI or credentials needed
  asm parse --provider <name> <stdout-file>      normalize a recorded CLI transcript into ASM events
  asm doctor [--provider <name>]                 which provider CLIs are installed, versions, sign-in
  asm providers [--provider <name>]              permission modes and features of each provider
  asm serve --provider <name> [--json]           an OpenAI-compatible endpoint on loopback
  asm acp --provider <name>                      an Agent Client Protocol agent on stdio

asm <command> --help shows a command's flags. Exit codes: 0 ok, 1 run failed, 2 usage,
3 config_invalid, 4 cli_not_found, 5 auth_error, 6 rate_limit/quota, 7 timeout, 8 unsupported,
9 not_found, 130 interrupted.
`;

/** `asm run --help`. */
export const RUN_USAGE = `usage: asm run "<prompt>" --provider <claude|codex|gemini|amp> [flags]
       echo "<prompt>" | asm run --provider <name> [flags]

  --provider <name>            provider to run (or ASM_PROVIDER)
  --model <id>                 model id or alias
  --permission-mode <mode>     default | auto | bypass | plan, or the provider's native name
  --danger-full-access         same as --permission-mode bypass
  --lane <auto|core|sdk>       backend lane (default auto)
  --cwd <dir>                  working directory of the agent
  --resume <session-id>        continue a provider session (the id printed after a run)
  --cli-path <path>            the provider CLI binary to run
  --timeout <duration>         wall-clock limit (seconds, or 90s, 5m, 1h30m)
  --idle-timeout <duration>    limit on silence from the CLI
  --ssh-host <[user@]host>     run the CLI over ssh (BatchMode=yes, ConnectTimeout=10)
  --ssh-user <user>  --ssh-port <port>  --ssh-identity-file <file>
  --ssh-option <KEY=VALUE>     an ssh -o option (repeatable)
  --ollama                     route Claude or Codex through an Ollama server
  --ollama-model <id>  --ollama-base-url <url>   (either implies --ollama)
  --json                       JSONL events on stdout instead of rendered text
  --verbose                    one line per event with every field
  --no-color                   plain text (NO_COLOR works too)

On a terminal, approvals are asked as y/N questions; Ctrl-C interrupts the run, a second
Ctrl-C exits at once.
`;

/** `asm parse --help`. */
export const PARSE_USAGE = `usage: asm parse --provider <claude|codex|gemini|amp> <stdout-file> [--stderr <file>] [--exit <code>] [--raw]

Feeds a recorded CLI stdout through the provider's parser line by line, then the stderr file,
then the exit status (a code, or "signal SIGTERM"; default 0), and prints the ASM events as
JSONL ({"kind","payload"}). A summary goes to stderr. Exits 1 when no outcome (result or
terminal error) came out — a sign that a CLI update changed its output format.
`;

/** `asm doctor --help`. */
export const DOCTOR_USAGE = `usage: asm doctor [--provider <name>] [--json]

Looks for each provider's CLI (its env var, PATH, known install locations), reads its version,
compares it with the versions ASM supports, and says how to install it and sign in.
`;

/** `asm providers --help`. */
export const PROVIDERS_USAGE = `usage: asm providers [--provider <name>] [--json]

Shows each provider's permission modes (normalized → native name and CLI flags), common
features (Ollama), capabilities, models and supported CLI versions.
`;

/** `asm demo --help`. */
export const DEMO_USAGE = `usage: asm demo [--replay] [--json] [--verbose] [--no-color]

Runs a real session through the whole ASM kernel with no agent CLI installed and no credentials:
the real claude binary (from this project's dev dependencies) against a local fake model server
inside a loopback-only network namespace, or — when that binary or namespace is not available,
or with --replay — a recorded claude transcript replayed by a fake CLI.
`;
