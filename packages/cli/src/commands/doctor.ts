import { delimiter, dirname } from "node:path";
import { isAsmError, type ProviderDefinition } from "@asm/contract";
import { checkCliVersion, detectCliVersion, formatRange, resolveCli } from "@asm/core-lane";
import { painter } from "@asm/rendering";
import { booleanFlag, parseFlags, stringFlag } from "../args/parse-flags.js";
import { print, type CliIo } from "../io.js";
import { createAsm } from "@asm/core";
import { formatSdkLane, loadLanes, sdkLaneReport, type SdkLaneReport } from "../lanes.js";
import { AUTH_HINTS, findProvider, loadProviders } from "../providers.js";
import { DOCTOR_USAGE } from "../usage.js";
import { workspaceBinDirs } from "./workspace-bins.js";

/** What `asm doctor` found out about one provider's CLI. */
export interface CliReport {
  provider: string;
  installed: boolean;
  /** Where the binary is. */
  path: string | null;
  /** How it was found: the env var, PATH, a known location, or `workspace` (a project's node_modules/.bin). */
  source: string | null;
  version: string | null;
  /** Whether the version is in the supported range (null when unknown or not installed). */
  supported: boolean | null;
  supportedVersions: string;
  /** The variable that can point at the binary. */
  envVar: string;
  installHint: string;
  authHint: string;
  /** Why it was not found. */
  problem: string | null;
  /** The places looked at, when it was not found. */
  searched: string[];
}

/** Looks for one provider's CLI with the profile's discovery data and reads its version. */
export async function inspectCli(provider: ProviderDefinition, env: Record<string, string | undefined>, cwd: string): Promise<CliReport> {
  const discovery = provider.profile?.cli;
  const base = {
    provider: provider.name,
    supportedVersions: discovery ? formatRange(discovery.supportedVersions) : "n/a",
    envVar: discovery?.envVar ?? "",
    installHint: discovery?.installHint ?? "",
    authHint: AUTH_HINTS[provider.name] ?? "see the provider's documentation",
  };
  if (discovery === undefined) {
    return { ...base, installed: false, path: null, source: null, version: null, supported: null, problem: "no CLI profile", searched: [] };
  }
  try {
    // The CLIs the project pins (node_modules/.bin) count too, after the user's own PATH.
    const bins = workspaceBinDirs(cwd);
    const path = [env.PATH ?? "", ...bins].filter((part) => part !== "").join(delimiter);
    const cli = resolveCli(discovery, { env: { ...env, PATH: path }, cwd });
    const definedEnv = Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
    const version = await detectCliVersion(cli, discovery, { env: definedEnv, cwd, timeoutMs: 15_000 });
    const check = checkCliVersion(version, discovery);
    const pinned = cli.source === "path" && bins.some((bin) => dirname(cli.path) === bin);
    return { ...base, installed: true, path: cli.path, source: pinned ? "workspace" : cli.source, version: check.version, supported: check.supported, problem: null, searched: [] };
  } catch (error) {
    const message = isAsmError(error) ? error.reason : (error as Error).message;
    const looked = isAsmError(error) && Array.isArray(error.details.searched) ? error.details.searched.map(String) : [];
    return { ...base, installed: false, path: null, source: null, version: null, supported: null, problem: message, searched: [...new Set(looked)] };
  }
}

const SOURCE_LABELS: Record<string, string> = {
  env: "from its env var",
  path: "on PATH",
  known_path: "known location",
  option: "given path",
  workspace: "pinned in this workspace",
};

/** `asm doctor [--provider <p>] [--json]`: which provider CLIs are installed, their versions, and how to sign in. */
export async function doctorCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(argv, { provider: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" } }, "doctor");
  if (booleanFlag(values, "help") || positionals.length > 0) {
    await print(io.stdout, DOCTOR_USAGE);
    return positionals.length > 0 ? 2 : 0;
  }
  const only = stringFlag(values, "provider");
  const providers = only === undefined ? loadProviders() : [findProvider(only)];
  const cliReports = await Promise.all(providers.map((provider) => inspectCli(provider, io.env, io.cwd)));
  const asm = createAsm({ providers: loadProviders(), lanes: loadLanes() });
  let reports: Array<CliReport & { sdkLane: SdkLaneReport }>;
  try {
    reports = await Promise.all(cliReports.map(async (report) => ({ ...report, sdkLane: await sdkLaneReport(asm, report.provider) })));
  } finally {
    await asm.dispose();
  }
  if (booleanFlag(values, "json")) {
    await print(io.stdout, `${JSON.stringify(reports, null, 2)}\n`);
    return 0;
  }
  const paint = painter(io.stdout.isTTY === true && (io.env.NO_COLOR ?? "") === "");
  const lines: string[] = [];
  for (const report of reports) {
    lines.push(paint("bold", report.provider));
    if (!report.installed) {
      const where = report.searched.length > 0 ? `looked in ${report.searched.length} places: PATH, node_modules/.bin, known locations` : (report.problem ?? "");
      lines.push(`  ${paint("red", "✖ not installed")} (${where})`);
      lines.push(`  install: ${report.installHint.replace(/\.$/, "")}, or point ${report.envVar} or --cli-path at it`);
    } else {
      const state =
        report.supported === true
          ? paint("green", `✔ ${report.version} (supported ${report.supportedVersions})`)
          : report.supported === false
            ? paint("yellow", `⚠ ${report.version} is outside the supported range ${report.supportedVersions}; output may not parse`)
            : paint("yellow", `⚠ version unknown (supported ${report.supportedVersions})`);
      lines.push(`  ${state}`);
      lines.push(`  binary: ${report.path} (${SOURCE_LABELS[report.source ?? ""] ?? report.source})`);
      // A pinned CLI is not on PATH for other programs: say how runs reach it.
      if (report.source === "workspace") lines.push(`  run it with --cli-path ${report.path}, or set ${report.envVar}`);
    }
    // Said once: an install hint that already explains signing in needs no second line.
    if (report.installed || !/login|sign in|API_KEY/i.test(report.installHint)) lines.push(`  sign in: ${report.authHint}`);
    lines.push(`  ${formatSdkLane(report.sdkLane)}`);
  }
  const installed = reports.filter((report) => report.installed).length;
  lines.push("", `${installed} of ${reports.length} provider CLIs installed. \`asm demo\` works without any of them.`);
  await print(io.stdout, `${lines.join("\n")}\n`);
  return 0;
}
