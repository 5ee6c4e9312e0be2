import { resolve } from "node:path";
import type { AsmEvent, ProviderDefinition } from "@asm/contract";
import type { Asm, PipelinePlug } from "@asm/core";
import { createPolicy } from "@asm/policy";
import { createRouter } from "@asm/routing";
import { snapshotPlug, type RunWorkspaceChange } from "@asm/workspace";
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

/** The pipeline plugs the policy and `--snapshot` flags ask for (the snapshot of `root`). */
export function extensionPlugs(flags: ExtensionFlags, root: string): PipelinePlug[] {
  const plugs: PipelinePlug[] = [];
  if (flags.policy !== null) plugs.push(createPolicy(flags.policy).plug);
  if (flags.snapshot) plugs.push(snapshotPlug(root));
  return plugs;
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
 * After a `--snapshot` run: what it changed, and how to undo it (`asm rollback`), from the
 * workspace record the snapshot plug put on the run's outcome.
 */
export async function printSnapshotSummary(io: CliIo, json: boolean, events: readonly AsmEvent[]): Promise<void> {
  const record = events.findLast((event) => event.metadata.workspace !== undefined)?.metadata.workspace as RunWorkspaceChange | undefined;
  const out = json ? io.stderr : io.stdout;
  if (record === undefined) {
    await print(out, "snapshot: no workspace record (the run ended before its outcome)\n");
    return;
  }
  const paths = [...record.added.map((path) => `+${path}`), ...record.modified.map((path) => `~${path}`), ...record.deleted.map((path) => `-${path}`)];
  const listed = paths.length === 0 ? "" : `: ${paths.slice(0, 10).join(" ")}${paths.length > 10 ? ` … (${paths.length - 10} more)` : ""}`;
  const undo = record.backend === "git" ? ` (undo: asm rollback ${record.beforeId} --cwd ${record.root})` : " (hash snapshot: no rollback outside a git repository's top level)";
  await print(out, `snapshot ${record.beforeId}: ${record.summary}${listed}${undo}\n`);
}
