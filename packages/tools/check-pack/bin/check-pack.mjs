#!/usr/bin/env node
// `pnpm check:pack`: the packages as users get them. Every publishable workspace package is packed
// with `pnpm pack` (workspace: ranges become versions, `files` decides what ships), the tarballs
// are installed into a scratch project outside the workspace (the @asm packages from the tarballs
// only, third-party dependencies from the registry or pnpm's store), and each package entry point
// is imported there by a plain `node`. A file missing from `files`, a dependency only the
// workspace provides, or a bare import of an optional peer at load time fails the check.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");
const started = Date.now();

/** Every package.json under packages/ (not node_modules, not fixtures) whose package is published. */
function publishable() {
  const found = [];
  const walk = (dir, depth) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name === "node_modules" || entry.name.startsWith("__") || entry.name === "dist") continue;
      const path = join(dir, entry.name);
      try {
        const manifest = JSON.parse(readFileSync(join(path, "package.json"), "utf8"));
        if (manifest.private !== true && typeof manifest.name === "string") found.push({ dir: path, manifest });
      } catch {
        // No manifest here.
      }
      if (depth > 0) walk(path, depth - 1);
    }
  };
  walk(join(root, "packages"), 2);
  return found.sort((a, b) => a.manifest.name.localeCompare(b.manifest.name));
}

/** The import specifiers of a package's entry points (its `exports` keys that are not sealed or the manifest). */
function entryPoints(manifest) {
  const exports = manifest.exports ?? { ".": manifest.main };
  return Object.entries(exports)
    .filter(([key, target]) => target !== null && !key.includes("*") && key !== "./package.json")
    .map(([key]) => (key === "." ? manifest.name : `${manifest.name}/${key.slice(2)}`));
}

async function inBatches(items, size, work) {
  const results = [];
  for (let index = 0; index < items.length; index += size) results.push(...(await Promise.all(items.slice(index, index + size).map(work))));
  return results;
}

const scratch = mkdtempSync(join(tmpdir(), "asm-check-pack-"));
let failed = false;
try {
  const packages = publishable();
  const tarballs = join(scratch, "tarballs");
  mkdirSync(tarballs);
  const packed = await inBatches(packages, 4, async ({ dir, manifest }) => {
    const { stdout } = await run("pnpm", ["pack", "--pack-destination", tarballs, "--json"], { cwd: dir, maxBuffer: 16 * 1024 * 1024 });
    const info = JSON.parse(stdout);
    const filename = Array.isArray(info) ? info[0].filename : info.filename;
    return { name: manifest.name, tarball: filename.startsWith("/") ? filename : join(tarballs, filename), entries: entryPoints(manifest), manifest };
  });
  const project = join(scratch, "project");
  mkdirSync(project);
  const files = Object.fromEntries(packed.map((entry) => [entry.name, `file:${entry.tarball}`]));
  // Overrides point the packages' dependencies on each other at the tarballs too: nothing of ours
  // comes from a registry or a workspace link.
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({ name: "asm-pack-check", private: true, type: "module", dependencies: files, pnpm: { overrides: files, onlyBuiltDependencies: [] } }, null, 2),
  );
  await run("pnpm", ["install", "--prefer-offline", "--ignore-workspace", "--config.strict-peer-dependencies=false", "--reporter=silent"], {
    cwd: project,
    env: { ...process.env, npm_config_node_linker: "isolated" },
    maxBuffer: 64 * 1024 * 1024,
  });
  const specifiers = packed.flatMap((entry) => entry.entries);
  // An entry point made for an optional peer (the test kit's vitest and fast-check entries) may
  // need it: that is what the peer is declared for. Anything else missing is a failure.
  const optionalPeers = new Map(packed.flatMap((entry) => entry.entries.map((specifier) => [specifier, Object.keys(entry.manifest.peerDependenciesMeta ?? {}).filter((peer) => entry.manifest.peerDependenciesMeta[peer]?.optional === true)])));
  const probe = join(project, "probe.mjs");
  writeFileSync(
    probe,
    [
      `const specifiers = ${JSON.stringify(specifiers)};`,
      "const failures = [];",
      "for (const specifier of specifiers) {",
      "  try {",
      "    const module = await import(specifier);",
      "    if (Object.keys(module).length === 0) failures.push(`${specifier}: exports nothing`);",
      "  } catch (error) {",
      "    failures.push(`${specifier}: ${error instanceof Error ? error.message.split('\\n')[0] : String(error)}`);",
      "  }",
      "}",
      "console.log(JSON.stringify({ imported: specifiers.length - failures.length, failures }));",
      "",
    ].join("\n"),
  );
  const { stdout } = await run(process.execPath, [probe], { cwd: project, env: { PATH: process.env.PATH ?? "", HOME: scratch } });
  const probed = JSON.parse(stdout.trim().split("\n").at(-1));
  const needsPeer = (failure) => {
    const [specifier] = failure.split(": ");
    const missing = /Cannot find package '([^']+)'/.exec(failure)?.[1];
    return missing !== undefined && (optionalPeers.get(specifier) ?? []).includes(missing);
  };
  const report = { imported: probed.imported, failures: probed.failures.filter((failure) => !needsPeer(failure)), peerOnly: probed.failures.filter(needsPeer) };
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (report.failures.length > 0) {
    failed = true;
    console.error(`check:pack: ${report.failures.length} entry point(s) failed to load from the packed tarballs:`);
    for (const failure of report.failures) console.error(`  ${failure}`);
  }
  for (const failure of report.peerOnly) console.log(`check:pack: needs its optional peer (as declared): ${failure.split(": ")[0]} (${/Cannot find package '([^']+)'/.exec(failure)?.[1]})`);
  console.log(`check:pack: ${packed.length} packages packed, ${report.imported} of ${specifiers.length} entry points imported outside the workspace (${seconds} s)`);
} catch (error) {
  failed = true;
  console.error(`check:pack: ${error instanceof Error ? (error.stderr || error.message) : String(error)}`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
