/** `asm --help`. */
export const MAIN_USAGE = `asm — run coding-agent CLIs (claude, codex, gemini, amp) through one interface

usage:
  asm run "<prompt>" --provider <name> [flags]   run one prompt, rendered live
  asm chat --provider <name> [flags]             a conversation: one prompt per line, Ctrl-D ends
  asm demo [--replay]                            a real session with no agent CLI or credentials needed
  asm parse --provider <name> <stdout-file>      normalize a recorded CLI transcript into ASM events
  asm doctor [--provider <name>]                 which provider CLIs are installed, versions, sign-in
  asm providers [--provider <name>]              permission modes and features of each provider
  asm sessions --provider <name> [--all]         conversations the provider's CLI can resume
  asm serve --provider <name> [--json]           an OpenAI-compatible endpoint on loopback
  asm acp --provider <name>                      an Agent Client Protocol agent on stdio
  asm watch --subscribe <url> [--session <id>]   follow live sessions published to a bus
  asm history [--store <url>] [--session <id>]   stored sessions, their runs, a run replayed
  asm rollback <snapshot-id> [--cwd <dir>]       undo what a --snapshot run changed
  asm node --nats <url> --name <node>            run a remote node that starts CLIs for clients
  asm nodes --nats <url>                         list the remote nodes, versions and free slots

asm <command> --help shows a command's flags. Exit codes: 0 ok, 1 run failed or an approval
denied, 2 usage, 3 config_invalid, 4 cli_not_found, 5 auth_error, 6 rate_limit/quota, 7 timeout,
8 unsupported, 9 not_found, 130 interrupted.
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
  --option <key=value>         a provider option (repeatable; the value is JSON when it parses,
                               else text): --option maxTurns=5, --option sandbox=read-only;
                               asm providers --provider <name> lists them
  --timeout <duration>         wall-clock limit (seconds, or 90s, 5m, 1h30m)
  --idle-timeout <duration>    limit on silence from the CLI
  --max-turns <n|off>          stop the run after n model turns (default 50)
  --max-budget-usd <usd|off>   stop the run once its known cost passes this (default 5)
  --ssh-host <[user@]host>     run the CLI over ssh (BatchMode=yes, ConnectTimeout=10)
  --ssh-user <user>  --ssh-port <port>  --ssh-identity-file <file>
  --ssh-option <KEY=VALUE>     an ssh -o option (repeatable)
  --ollama                     route Claude or Codex through an Ollama server
  --ollama-model <id>  --ollama-base-url <url>   (either implies --ollama)
  --allow-tool <name>          allow this tool's approvals without asking (repeatable; a native
                               name such as Bash or run_shell_command, or a kind: shell, edit,
                               write, read, search, web, mcp)
  --json                       JSONL events on stdout instead of rendered text; without a
                               terminal, stdin takes approval decisions as JSON lines:
                               {"approve":"<approvalId>","decision":"allow"|"deny"}
  --verbose                    one line per event with every field
  --no-color                   plain text (NO_COLOR works too)
  --publish <url>              also publish the events: phoenix:ws://host:port/socket or nats://host:port
  --tools <module>             host tools the agent can call (a module exporting them; see docs/host-tools.md)
                               (token from ASM_PUBSUB_TOKEN; see asm watch)
  --store [<url>]              keep the run's events in a store: sqlite:<file>, file:<dir> or
                               postgres://…; bare --store (or ASM_STORE=<url>) means ASM_STORE,
                               else sqlite:$XDG_STATE_HOME/asm/asm.db; with --json a line is
                               printed only once the store has it (see asm history)
  --session <id>               continue a stored session after a restart (its provider and
                               provider session come from the store; --store as above)
  --route <p1,p2,…>            fail over through these providers in order (instead of
                               --provider): a rate limit, quota, auth or start-up failure before
                               any output runs the prompt on the next one
  --max-cost-usd <usd>         policy: the run's known cost may not pass this
  --max-output-tokens <n>      policy: output tokens may not pass this
  --deny-tool <name>           policy: the agent may not call this tool (repeatable; the name the
                               provider reports: Bash, run_shell_command)
  --policy-action <action>     what a broken policy rule does: cancel (default, the run fails with
                               guardrail_blocked), warn (a guardrail event, the run goes on) or
                               request_approval (asked like an approval)
  --snapshot                   snapshot the working directory before the run and print what it
                               changed after it (undo with asm rollback <id>)
  --remote <node|any>          run the CLI on a remote node (see asm node), or on any fleet node with a free slot
  --nats <url>                 the NATS server of --remote (token from ASM_NATS_TOKEN)
  --creds <file>               NATS credentials file for --remote
  --durable                    with --remote: the events go through JetStream and survive a server restart

On a terminal, approvals are asked as y/N questions (keys typed before the question do not
count); without one they are denied unless --allow-tool names the tool. A denied approval makes
the run exit 1. Ctrl-C interrupts the run, a second Ctrl-C exits at once.
`;

/** `asm parse --help`. */
export const PARSE_USAGE = `usage: asm parse --provider <claude|codex|gemini|amp> <stdout-file> [--stderr <file>] [--exit <code>] [--raw]

Feeds a recorded CLI stdout through the provider's parser line by line, then the stderr file,
then the exit status (a code, or "signal SIGTERM"; default 0), and prints the events a live run
emits from the same output as JSONL ({"kind","payload"}): they end at the first outcome, and
output without one gets the outcome its exit status implies. A summary goes to stderr. Exits 1
when the output held no outcome (result or terminal error) of its own — a sign that a CLI
update changed its output format.
`;

/** `asm doctor --help`. */
export const DOCTOR_USAGE = `usage: asm doctor [--provider <name>] [--json]

Looks for each provider's CLI (its env var, PATH, the workspace's node_modules/.bin, known install
locations), reads its version,
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

/** `asm chat --help`. */
export const CHAT_USAGE = `usage: asm chat --provider <claude|codex|gemini|amp> [flags]
       printf 'first prompt\\nsecond prompt\\n' | asm chat --provider <name> [--json]

A conversation in one process: each line is one turn, and the session carries the conversation
from turn to turn. On a terminal, type a prompt at "> " and press Enter; the turn is rendered as
in asm run (approvals are asked, Ctrl-C interrupts the turn), Ctrl-D ends the chat. Without a
terminal each stdin line is one turn; --json prints the events of every turn.

Takes the flags of asm run (asm run --help), except the prompt; --resume continues an earlier
provider session from the first turn on. Exits 0, or with the code of the last turn that
failed (an interrupted turn does not count).
`;
