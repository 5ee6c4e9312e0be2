import { resolve } from "node:path";
import type { AsmEvent, ProviderDefinition } from "@asm/contract";
import type { Asm, PipelinePlug } from "@asm/core";
import { createPolicy } from "@asm/policy";
import { createRouter } from "@asm/routing";
import { diff, snapshot, summarizeDiff, type Snapshot } from "@asm/workspace";
import { usageError } from "../exit-codes.js";
import { print, type CliIo } from "../io.js";
import type { ExtensionFlags } from "../options/extension-flags.js";

/**
 * Checks what the routing flags ask against the rest of the command line: `--route` names
 * registered providers and replaces `--provider`, and it cannot continue one provider's session
 * (`--resume`, `--session`) or run one binary (`--cli-path`) for every provider. Returns the
 * provider the run's own flags are read for (the route's first).
 */
export function routeProvider(flags: ExtensionFlags, argv: readonly string[], providers: readonly ProviderDefinition[], sessionId: string | null): string | undefined {
  if (flags.route === null) return undefined;
  const names = providers.map((provider) => provider.name);
  const unknown = flags.route.find((name) => !names.includes(name));
  if (unknown !== undefined) throw usageError(`--route names ${unknown}, which is not a provider (${names.join(", ")})`, { flag: "--route" });
  const has = (flag: string) => argv.some((arg) => arg === flag || arg.startsWith(`${flag}=`));
  for (const flag of ["--provider", "--resume", "--cli-path"]) {
    if (has(flag)) throw usageError(`--route picks the providers itself; ${flag} cannot be combined with it`, { flag: "--route" });
  }
  if (sessionId !== null) throw usageError("--route starts a session on whichever provider answers; --session cannot be combined with it", { flag: "--route" });
  return flags.route[0];
}

/** The pipeline plugs the policy flags ask for. */
export function extensionPlugs(flags: ExtensionFlags): PipelinePlug[] {
  return flags.policy === null ? [] : [createPolicy(flags.policy).plug];
}

/**
 * `--snapshot`: the working directory's snapshot, taken before the run is started (not at its
 * `run_started` event, by which time the CLI may already be writing). Null without the flag.
 */
export async function snapshotBefore(flags: ExtensionFlags, root: string): Promise<Snapshot | null> {
  return flags.snapshot ? snapshot(root) : null;
}

/** The directory `--snapshot` records: `--cwd` (relative to where asm runs), else where asm runs. */
export function snapshotRoot(sessionOptions: Record<string, unknown>, io: CliIo): string {
  return typeof sessionOptions.cwd === "string" ? resolve(io.cwd, sessionOptions.cwd) : io.cwd;
}

/**
 * `prompt` through `@asm/routing` over the route's providers in order (priority strategy):
 * on a retryable failure before any output the next provider runs it, after a warning naming
 * the one that failed. `optionsFor` gives each provider's session options. The stream's `runId`
 * is the current attempt's, so Ctrl-C interrupts whichever provider is running.
 */
export function routedStream(asm: Asm, route: readonly string[], optionsFor: (provider: string) => Record<string, unknown>, prompt: string, runOptions: Record<string, unknown>): AsyncIterable<AsmEvent> & { runId: string } {
  const router = createRouter({
    asm,
    candidates: route.map((provider) => ({ provider, providerOptions: optionsFor(provider) })),
    strategy: "priority",
  });
  const routed = router.stream(prompt, runOptions);
  return {
    get runId() {
      return routed.attempts.at(-1)?.runId ?? "";
    },
    [Symbol.asyncIterator]: () => routed[Symbol.asyncIterator](),
  };
}

/**
 * After a `--snapshot` run: a second snapshot, what changed since `before`, and how to undo it
 * (`asm rollback`).
 */
export async function printSnapshotSummary(io: CliIo, json: boolean, before: Snapshot): Promise<void> {
  const changes = await diff(before, await snapshot(before.root));
  const paths = [...changes.added.map((path) => `+${path}`), ...changes.modified.map((path) => `~${path}`), ...changes.deleted.map((path) => `-${path}`)];
  const listed = paths.length === 0 ? "" : `: ${paths.slice(0, 10).join(" ")}${paths.length > 10 ? ` … (${paths.length - 10} more)` : ""}`;
  const undo = before.backend === "git" ? ` (undo: asm rollback ${before.id} --cwd ${before.root})` : " (hash snapshot: no rollback outside a git repository's top level)";
  await print(json ? io.stderr : io.stdout, `snapshot ${before.id}: ${summarizeDiff(changes)}${listed}${undo}\n`);
}
