import type { PermissionMode } from "@asm/contract";
import { PERMISSION_MODES } from "@asm/contract";
import { createAsm } from "@asm/core";
import { formatRange } from "@asm/core-lane";
import { painter } from "@asm/rendering";
import { flagHints } from "../args/flag-hints.js";
import { booleanFlag, parseFlags, stringFlag } from "../args/parse-flags.js";
import { print, type CliIo } from "../io.js";
import { formatSdkLane, loadLanes, sdkLaneReport } from "../lanes.js";
import { findProvider, loadProviders } from "../providers.js";
import { PROVIDERS_USAGE } from "../usage.js";

/**
 * `asm providers [--provider <p>] [--json]`: each provider's feature manifest — permission modes
 * (normalized → native name and flags, or why unsupported), common features such as Ollama, and
 * capabilities, models and supported CLI versions.
 */
export async function providersCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(argv, { provider: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" } }, "providers");
  if (booleanFlag(values, "help") || positionals.length > 0) {
    await print(io.stdout, PROVIDERS_USAGE);
    return positionals.length > 0 ? 2 : 0;
  }
  const all = loadProviders();
  const only = stringFlag(values, "provider");
  const shown = only === undefined ? all : [findProvider(only, all)];
  const asm = createAsm({ providers: all, lanes: loadLanes() });
  try {
    const lanes = await Promise.all(shown.map((provider) => sdkLaneReport(asm, provider.name)));
    const entries = shown.map((provider, index) => ({
      provider: provider.name,
      displayName: provider.displayName,
      aliases: provider.aliases ?? [],
      capabilities: provider.capabilities,
      defaultModel: provider.models.defaultModel,
      models: provider.models.models.map((model) => model.id),
      supportedVersions: provider.profile ? formatRange(provider.profile.cli.supportedVersions) : null,
      permissionModes: Object.fromEntries(
        PERMISSION_MODES.map((mode: PermissionMode) => {
          const entry = provider.permissionModes[mode];
          return [mode, "unsupported" in entry ? { unsupported: entry.unsupported } : { nativeMode: entry.nativeMode, cliArgs: entry.cliArgs, label: entry.label, aliases: entry.aliases ?? [] }];
        }),
      ),
      options: Object.keys(provider.optionsSchema.shape),
      manifest: asm.manifest(provider.name),
      sdkLane: lanes[index],
    }));
    if (booleanFlag(values, "json")) {
      await print(io.stdout, `${JSON.stringify(entries, null, 2)}\n`);
      return 0;
    }
    const paint = painter(io.stdout.isTTY === true && (io.env.NO_COLOR ?? "") === "");
    const lines: string[] = [];
    for (const entry of entries) {
      const aliases = entry.aliases.length > 0 ? ` (also ${entry.aliases.join(", ")})` : "";
      lines.push(paint("bold", `${entry.provider} — ${entry.displayName}${aliases}`));
      lines.push(`  CLI versions: ${entry.supportedVersions ?? "n/a"}   default model: ${entry.defaultModel ?? "(the CLI's own)"}`);
      lines.push(`  capabilities: ${entry.capabilities.join(", ")}`);
      lines.push(`  options (--option key=value): ${entry.options.join(", ")}`);
      if (entry.sdkLane) lines.push(`  ${formatSdkLane(entry.sdkLane)}`);
      lines.push("  permission modes:");
      for (const mode of PERMISSION_MODES) {
        const native = entry.permissionModes[mode]!;
        if ("unsupported" in native) {
          lines.push(`    ${mode.padEnd(8)} ${paint("gray", `unsupported — ${flagHints(native.unsupported ?? "")}`)}`);
        } else {
          const flags = native.cliArgs.length > 0 ? native.cliArgs.join(" ") : "(no flag: the CLI's default)";
          lines.push(`    ${mode.padEnd(8)} ${native.nativeMode.padEnd(20)} ${flags}`);
        }
      }
      lines.push("  common features:");
      for (const [feature, support] of Object.entries(entry.manifest.commonFeatures)) {
        const state = support.supported ? paint("green", "supported") : paint("gray", "unsupported");
        lines.push(`    ${feature.padEnd(8)} ${state}${support.notes ? ` — ${support.notes}` : ""}`);
      }
    }
    await print(io.stdout, `${lines.join("\n")}\n`);
    return 0;
  } finally {
    await asm.dispose();
  }
}
