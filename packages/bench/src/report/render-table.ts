import type { BenchReport } from "./bench-report.js";

/** Formats a number with `digits` decimals and thousands separators; `n/a` when not finite. */
function formatNumber(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return "n/a";
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join(" | ")} |`;
  const rule = `|${widths.map((width, i) => (i === 0 ? `-${"-".repeat(width)}-` : `-${"-".repeat(width)}:`)).join("|")}|`;
  return [line(header), rule, ...rows.map(line)].join("\n");
}

const KIB = 1024;
const MIB = 1024 * 1024;

/**
 * Renders a report as Markdown tables (what `pnpm bench` prints and `docs/benchmarks.md` quotes):
 * throughput, parsers, latency, spawn, memory, concurrency, endpoint, extensions, pub/sub, persistence, then the goals.
 */
export function renderTable(report: BenchReport): string {
  const out: string[] = [];
  const m = report.machine;
  out.push(
    `ASM benchmarks (${report.preset}), ${report.startedAt}, ${formatNumber(report.durationSeconds)} s\n` +
      `Machine: ${m.nproc} cores, ${m.cpuModel}, ${formatNumber(m.totalMemoryMb)} MiB, Node ${m.node} (${m.platform}); ` +
      `load average ${m.loadAverageAtStart.join(" ")} at start, ${report.loadAverageAtEnd.join(" ")} at end`,
  );

  const t = report.throughput;
  if (t) {
    const large = t.mix["user/tool_result_100kb"] ?? 0;
    out.push(
      `\n### Throughput: ${formatNumber(t.lines)} lines, ${formatNumber(t.bytes / MIB, 1)} MiB (${large} tool results of 100 KB), median of ${t.repeats}`,
    );
    const rows = (
      [
        ["pipe, drained (limit)", t.variants.pipe, "—"],
        ["readline + JSON.parse (limit)", t.variants.parse, "lines"],
        ["ASM stream()", t.variants.asm, "events"],
        ["Claude Agent SDK query()", t.variants.sdk, "messages"],
      ] as const
    ).map(([name, sample, unit]) => [
      name,
      formatNumber(sample.wallMs, 0),
      formatNumber(sample.linesPerSecond),
      formatNumber(sample.mbPerSecond, 1),
      unit === "—" ? "—" : `${formatNumber(sample.itemsPerSecond)} ${unit}/s`,
      formatNumber(sample.hostCpuMs),
      formatNumber((sample.hostCpuMs * 1000) / t.lines, 1),
      formatNumber(sample.linesPerSecond / t.variants.parse.linesPerSecond, 2),
    ]);
    out.push(table(["consumer", "wall ms", "lines/s", "MiB/s", "delivered", "host CPU ms", "CPU µs/line", "× parse"], rows));
    out.push(
      `ASM ÷ parse limit ${formatNumber(t.ratios.asmToParse, 2)} · ASM ÷ SDK ${formatNumber(t.ratios.asmToSdk, 2)} · ` +
        `ASM ÷ pipe ${formatNumber(t.ratios.asmToPipe, 2)} · parse ÷ pipe ${formatNumber(t.ratios.parseToPipe, 2)} · SDK ÷ parse ${formatNumber(t.ratios.sdkToParse, 2)}\n` +
        `By host CPU per line: ASM ÷ parse ${formatNumber(t.ratios.asmToParseByCpu, 2)} · ASM ÷ SDK ${formatNumber(t.ratios.asmToSdkByCpu, 2)}`,
    );
    if (t.providers.length > 0) {
      out.push("\nCodex and Gemini, each provider's recorded lines through a fake CLI, medians:");
      out.push(
        table(
          ["stream: consumer", "lines", "MiB", "wall ms", "host CPU ms", "CPU µs/line", "delivered", "× parse (wall)", "× parse (CPU)"],
          t.providers.flatMap((sample) => {
            const row = (name: string, c: typeof sample.parse, wall: number, cpu: number) => [
              `${sample.provider}: ${name}`,
              formatNumber(sample.lines),
              formatNumber(sample.bytes / MIB, 1),
              formatNumber(c.wallMs, 0),
              formatNumber(c.hostCpuMs, 0),
              formatNumber((c.hostCpuMs * 1000) / sample.lines, 2),
              formatNumber(c.items),
              formatNumber(wall, 2),
              formatNumber(cpu, 2),
            ];
            return [row("readline + JSON.parse", sample.parse, 1, 1), row("ASM stream()", sample.asm, sample.asmToParse, sample.asmToParseByCpu)];
          }),
        ),
      );
    }
  }

  const p = report.parsers;
  if (p) {
    out.push(`\n### Parsers: ${formatNumber(p.lines)} lines, ${formatNumber(p.bytes / MIB, 1)} MiB, in process, median of ${p.repeats}`);
    out.push(
      table(
        ["reader", "ms", "lines/s", "events", "÷ JSON.parse"],
        (
          [
            ["JSON.parse (limit)", p.variants.jsonParse, 1],
            ["JSON.parse + boundRaw", p.variants.boundRaw, 1 / p.ratios.boundRawCost],
            ["provider-utils skeleton", p.variants.skeleton, p.ratios.skeletonToParse],
            ["Claude parser", p.variants.claude, p.ratios.claudeToParse],
          ] as const
        ).map(([name, sample, share]) => [name, formatNumber(sample.ms, 1), formatNumber(sample.linesPerSecond), formatNumber(sample.events), formatNumber(share, 2)]),
      ),
    );
    if (p.providers.length > 0) {
      out.push(`\nOther providers, each on its own recorded lines (stretched to ${formatNumber(p.providers[0]?.lines ?? 0)} lines), median of ${p.repeats}:`);
      out.push(
        table(
          ["reader", "MiB", "ms", "lines/s", "events", "÷ JSON.parse"],
          p.providers.flatMap((sample) => [
            [`${sample.provider}: JSON.parse (limit)`, formatNumber(sample.bytes / MIB, 1), formatNumber(sample.jsonParse.ms, 1), formatNumber(sample.jsonParse.linesPerSecond), "0", "1.00"],
            [`${sample.provider}: parser`, formatNumber(sample.bytes / MIB, 1), formatNumber(sample.parser.ms, 1), formatNumber(sample.parser.linesPerSecond), formatNumber(sample.parser.events), formatNumber(sample.parserToParse, 2)],
          ]),
        ),
      );
    }
  }

  if (report.latency) {
    // Every rate runs the preset's rounds; a report merged from several presets lists each count.
    const counts = [...new Set(report.latency.map((entry) => entry.rounds))];
    const rounds = `${counts.join("/")} interleaved round${counts.length === 1 && counts[0] === 1 ? "" : "s"}`;
    out.push(`\n### Latency: fake CLI write → consumer, ms; medians over ${rounds} (consumer order rotated each round)`);
    const rows: string[][] = [];
    for (const entry of report.latency) {
      const label = `${formatNumber(entry.rate)}/s × ${formatNumber(entry.count)}`;
      for (const [name, key] of [["readline + JSON.parse", "parse"], ["ASM stream()", "asm"], ["Claude Agent SDK query()", "sdk"]] as const) {
        const p = entry.consumers[key];
        rows.push([`${label}: ${name}`, formatNumber(p.p50, 3), formatNumber(p.p99, 3), `${formatNumber(p.p99Min, 3)}–${formatNumber(p.p99Max, 3)}`, formatNumber(p.max, 2)]);
      }
      rows.push([`${label}: ASM p99 ÷ floor p99 (median of paired rounds)`, "—", `${formatNumber(entry.asmToFloorP99, 2)} ×`, "—", "—"]);
    }
    out.push(table(["rate × events per round: consumer", "p50", "p99", "p99 range", "max (any round)"], rows));
  }

  if (report.spawn && report.spawn.length > 0) {
    const spawn = report.spawn;
    out.push("\n### Spawn: ms, medians of interleaved runs (n per fake)");
    const row = (name: string, pick: (s: (typeof spawn)[number]) => number, digits = 2) => [name, ...spawn.map((s) => formatNumber(pick(s), digits))];
    out.push(
      table(
        ["figure", ...spawn.map((s) => `${s.fake} fake (n=${s.iterations})`)],
        [
          row("bare execa spawn → first stdout byte", (s) => s.bareFirstByteMs),
          row("ASM stream() → run_started", (s) => s.asmRunStartedMs),
          row("ASM stream() → first CLI event", (s) => s.asmFirstEventMs),
          row("ASM overhead (first event − bare)", (s) => s.asmOverheadMs),
          row("ASM stream() → run_completed", (s) => s.asmCompletedMs),
          row("ASM cold first run → first event", (s) => s.asmColdFirstEventMs),
          row("SDK query() → first message", (s) => s.sdkFirstMessageMs),
          row("SDK overhead (first message − bare)", (s) => s.sdkOverheadMs),
          row("SDK query() → done", (s) => s.sdkDoneMs),
        ],
      ),
    );
  }

  const mem = report.memory;
  if (mem) {
    out.push("\n### Memory");
    const first = mem.samples[0];
    const last = mem.samples.at(-1);
    out.push(
      table(
        ["figure", "value"],
        [
          [`heap per idle session (${formatNumber(mem.idleSessions)} sessions)`, `${formatNumber(mem.heapPerIdleSessionBytes / KIB, 2)} KiB`],
          ["heap kept after stopping them", `${formatNumber(mem.heapAfterStopBytes / KIB, 1)} KiB`],
          [`sequential runs (${formatNumber(mem.runsPerSession)} per session)`, formatNumber(mem.sequentialRuns)],
          ["wall time per run", `${formatNumber(mem.msPerRun, 2)} ms`],
          ["RSS first → last sample", `${formatNumber((first?.rss ?? Number.NaN) / MIB, 1)} → ${formatNumber((last?.rss ?? Number.NaN) / MIB, 1)} MiB`],
          ["heap after GC first → last sample", `${formatNumber((first?.heapUsed ?? Number.NaN) / MIB, 2)} → ${formatNumber((last?.heapUsed ?? Number.NaN) / MIB, 2)} MiB`],
          ["RSS slope, last half", `${formatNumber(mem.rssSlopeLastHalfBytesPerRun, 1)} B/run`],
          ["heap slope, last half", `${formatNumber(mem.heapSlopeLastHalfBytesPerRun, 1)} B/run`],
        ],
      ),
    );
  }

  const c = report.concurrency;
  if (c) {
    out.push(`\n### Concurrency: ${c.runs} sessions × 1 run of ${formatNumber(c.linesPerRun)} lines, ${c.cores} cores`);
    out.push(
      table(
        ["figure", "value"],
        [
          ["one run alone (median)", `${formatNumber(c.singleRunMs, 1)} ms`],
          ["CPU per run alone (ASM host + fake CLI)", `${formatNumber(c.cpuPerRunMs, 1)} ms (host ${formatNumber(c.hostCpuPerRunMs, 1)} ms)`],
          [`all ${c.runs} at once`, `${formatNumber(c.concurrentWallMs)} ms`],
          ["ideal from CPU (CPU per run × runs ÷ cores)", `${formatNumber(c.idealFromCpuMs)} ms`],
          ["ideal from wall (one run × runs ÷ cores)", `${formatNumber(c.idealFromWallMs)} ms`],
          ["efficiency (ideal from CPU ÷ actual)", formatNumber(c.efficiency, 2)],
          ["CPU inflation (CPU together ÷ CPU alone)", formatNumber(c.cpuInflation, 2)],
        ],
      ),
    );
  }

  const e = report.endpoint;
  if (e) {
    const row = (name: string, pair: { direct: { p50: number; p99: number }; endpoint: { p50: number; p99: number } }) => [
      name,
      `${formatNumber(pair.direct.p50, 2)} / ${formatNumber(pair.direct.p99, 2)} ms`,
      `${formatNumber(pair.endpoint.p50, 2)} / ${formatNumber(pair.endpoint.p99, 2)} ms`,
      `${formatNumber(pair.endpoint.p50 - pair.direct.p50, 2)} / ${formatNumber(pair.endpoint.p99 - pair.direct.p99, 2)} ms`,
    ];
    out.push(`\n### Endpoint: ${e.requests} requests each way, the minimal turn, direct vs through the endpoint`);
    out.push(
      table(
        ["figure (median / p99)", "direct", "endpoint", "added"],
        [
          row("plain request", e.plain),
          row("streamed request to the end", e.streaming),
          row("time to first token", e.firstToken),
          row(`plain request, in-process backend (${e.inProcess.requests})`, e.inProcess),
          [`requests/s at ${e.concurrency.clients} clients`, formatNumber(e.concurrency.directPerSecond, 1), formatNumber(e.concurrency.endpointPerSecond, 1), `× ${formatNumber(e.concurrency.ratio, 2)}`],
        ],
      ),
    );
  }

  const x = report.extensions;
  if (x) {
    out.push(`\n### Extensions: one in-process run of ${formatNumber(x.eventsPerRun)} events per variant, median of ${x.runs}`);
    const names = { bare: "bare kernel", noopPlug: "+ a plug that passes", policy: "+ policy plug", router: "through the router", routerAndPolicy: "router + policy" } as const;
    out.push(
      table(
        ["variant", "ms/run", "events/s", "µs/event over bare"],
        (Object.keys(names) as Array<keyof typeof names>).map((key) => [
          names[key],
          formatNumber(x.variants[key].ms, 1),
          formatNumber(x.variants[key].eventsPerSecond),
          key === "bare" ? "—" : formatNumber(x.variants[key].overheadUsPerEvent, 2),
        ]),
      ),
    );
  }

  const ps = report.pubsub;
  if (ps) {
    out.push(`\n### Pub/sub: ${formatNumber(ps.lines)} lines through the kernel, publishing every event, median of ${ps.repeats}`);
    const rows = (
      [
        ["kernel alone", ps.variants.kernel, 1],
        ["+ local bus", ps.variants.local, ps.ratios.localToKernel],
        ["+ NATS (private nats-server)", ps.variants.nats, ps.ratios.natsToKernel],
        ["+ Phoenix Channels (test server in process)", ps.variants.phoenix, ps.ratios.phoenixToKernel],
      ] as const
    ).map(([name, sample, share]) => [
      name,
      formatNumber(sample.wallMs, 0),
      formatNumber(sample.eventsPerSecond),
      formatNumber(sample.delivered),
      formatNumber(sample.dropped),
      formatNumber(share, 2),
    ]);
    out.push(table(["publisher", "wall ms", "events/s", "delivered", "dropped", "× kernel"], rows));
  }

  const store = report.persistence;
  if (store) {
    out.push(`\n### Persistence: ${formatNumber(store.events)} events per run through the kernel, median of ${store.repeats}`);
    const kernel = store.variants.kernel?.eventsPerSecond ?? Number.NaN;
    out.push(
      table(
        ["variant", "events/s", "÷ kernel alone"],
        Object.entries(store.variants).map(([name, sample]) => [name, formatNumber(sample.eventsPerSecond), formatNumber(sample.eventsPerSecond / kernel, 2)]),
      ),
    );
    for (const reason of store.skipped) out.push(`skipped: ${reason}`);
  }

  const rn = report.remote;
  if (rn?.measured === true) {
    out.push(`\n### Remote node: ${formatNumber(rn.lines)} lines through the kernel locally and through a node over NATS, median of ${rn.repeats}; latency at ${formatNumber(rn.rate)}/s`);
    const rows = (
      [
        ["kernel, local CLI", rn.kernel, 1],
        ["kernel, CLI on a node", rn.remote, rn.remoteToKernel],
      ] as const
    ).map(([name, sample, share]) => [name, formatNumber(sample.eventsPerSecond), formatNumber(share, 2), formatNumber(sample.latency.p50, 3), formatNumber(sample.latency.p99, 3)]);
    out.push(table(["placement", "events/s", "× local", "p50 ms", "p99 ms"], rows));
  }

  const sdk = report.sdk;
  if (sdk) {
    out.push(`\n### SDK lane: ${formatNumber(sdk.lines)} lines, ASM's Claude SDK lane vs a bare query(), median of ${sdk.repeats}`);
    out.push(
      table(
        ["consumer", "wall ms", "CPU µs/line", "items/s"],
        [
          ["bare query()", formatNumber(sdk.bare.wallMs, 1), formatNumber(sdk.bare.cpuUsPerLine, 2), formatNumber(sdk.bare.itemsPerSecond)],
          ["@asm/sdk-claude", formatNumber(sdk.lane.wallMs, 1), formatNumber(sdk.lane.cpuUsPerLine, 2), formatNumber(sdk.lane.itemsPerSecond)],
        ],
      ),
    );
    out.push(`CPU/line overhead of the lane: ${formatNumber(sdk.cpuOverhead * 100, 1)} %`);
  }

  if (report.goals.length > 0) {
    out.push("\n### Goals");
    out.push(
      table(
        ["goal", "target", "this run", "met"],
        report.goals.map((goal) => [goal.name, goal.target, `${formatNumber(goal.value, goal.unit === "×" ? 2 : goal.unit === "B/run" ? 1 : 3)} ${goal.unit}`, goal.met ? "yes" : "NO"]),
      ),
    );
  }
  return out.join("\n");
}
