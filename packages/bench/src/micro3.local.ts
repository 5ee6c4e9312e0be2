import { claudeProfile } from "@asm/claude";
import { createEvent } from "@asm/contract";
import { buildLineSet } from "./stream/line-set.js";
const set = buildLineSet({ lines: 100000 });
const lines = set.text.split("\n").filter((l) => l !== "");
const p = claudeProfile.createParser({ provider: "claude", reply() {} } as any); const evs: any[] = []; for (const l of lines) evs.push(...p.line(l));
const counts: Record<string, number> = {}; for (const e of evs) counts[e.kind] = (counts[e.kind] ?? 0) + 1; console.log(counts);
for (const kind of Object.keys(counts)) {
  const sel = evs.filter((e) => e.kind === kind);
  for (let r = 0; r < 3; r++) { const t = performance.now(); let s = 0; for (const e of sel) createEvent({ kind: e.kind, payload: e.payload, raw: e.raw, runId: "r", sessionId: "s", provider: "claude", sequence: s++ }); if (r === 2) console.log(kind.padEnd(20), ((performance.now() - t) * 1000 / sel.length).toFixed(2), "µs/event"); }
}
