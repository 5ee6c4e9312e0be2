// Runs the live examples for several providers, one after the other, and prints a summary.
//   pnpm --filter @asm/examples run-all --provider claude,codex [--provider gemini] [example flags]
// Every flag besides --provider is passed to each example. The --ollama flags are refused up
// front for Gemini and Amp, which have no Ollama route.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { findProvider, loadProviders } from "@asm/cli";
import { EXAMPLE_FLAGS, withoutSeparator } from "./common.js";

/** The examples run-all runs, in order. */
export const EXAMPLES = ["live-query", "live-stream", "live-session-lifecycle"] as const;

const USAGE = `run-all — runs ${EXAMPLES.join(", ")} for each provider

usage: pnpm --filter @asm/examples run-all --provider <name>[,<name>…] [--provider <name>] [example flags]

  --provider is required (repeat it or give a comma list); without it this text is printed
  and run-all exits 0. Other flags go to every example (see any example's --help).
  --ollama, --ollama-model and --ollama-base-url are refused for gemini and amp.
`;

/** A parsed run-all command line. */
export interface RunAllPlan {
  providers: string[];
  /** The arguments given to every example (everything but --provider). */
  forwarded: string[];
}

/**
 * Plans a run-all: the providers (deduplicated, in order) and the flags to forward. Returns null
 * when no provider was named. Throws for unknown providers and Ollama flags on Gemini or Amp.
 */
export function planRunAll(argv: readonly string[]): RunAllPlan | null {
  const { values, tokens } = parseArgs({
    args: withoutSeparator(argv),
    options: { ...EXAMPLE_FLAGS, provider: { type: "string", multiple: true } },
    strict: true,
    allowPositionals: false,
    tokens: true,
  });
  const named = (values.provider ?? []).flatMap((entry) => entry.split(",")).map((entry) => entry.trim()).filter((entry) => entry !== "");
  if (values.help === true || named.length === 0) return null;
  const all = loadProviders();
  const providers = [...new Set(named.map((name) => findProvider(name, all).name))];
  const usesOllama = values.ollama === true || values["ollama-model"] !== undefined || values["ollama-base-url"] !== undefined;
  const refused = providers.filter((name) => name === "gemini" || name === "amp");
  if (usesOllama && refused.length > 0) {
    throw new Error(`the --ollama flags work with claude and codex only; remove ${refused.join(" and ")} or the --ollama flags`);
  }
  const forwarded: string[] = [];
  for (const token of tokens ?? []) {
    if (token.kind !== "option" || token.name === "provider") continue;
    forwarded.push(token.rawName);
    if (token.value !== undefined) forwarded.push(token.value);
  }
  return { providers, forwarded };
}

function main(): number {
  let plan: RunAllPlan | null;
  try {
    plan = planRunAll(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`run-all: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (plan === null) {
    process.stdout.write(USAGE);
    return 0;
  }
  const here = dirname(fileURLToPath(import.meta.url));
  const extension = fileURLToPath(import.meta.url).endsWith(".ts") ? ".ts" : ".js";
  const results: Array<{ provider: string; example: string; code: number }> = [];
  for (const provider of plan.providers) {
    for (const example of EXAMPLES) {
      process.stdout.write(`\n=== ${example} --provider ${provider} ===\n`);
      const run = spawnSync(process.execPath, [...process.execArgv, join(here, `${example}${extension}`), "--provider", provider, ...plan.forwarded], { stdio: "inherit" });
      results.push({ provider, example, code: run.status ?? 1 });
    }
  }
  process.stdout.write("\nsummary:\n");
  for (const result of results) process.stdout.write(`  ${result.code === 0 ? "ok  " : "FAIL"} ${result.provider.padEnd(7)} ${result.example} (exit ${result.code})\n`);
  return results.every((result) => result.code === 0) ? 0 : 1;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main();
