import { claudeProfile } from "@asm/claude";
import { createEvent } from "@asm/contract";
import { createRedactor, boundRaw } from "@asm/provider-utils";
import { buildLineSet } from "./stream/line-set.js";
const set = buildLineSet({ lines: 100000 });
const lines = set.text.split("\n").filter((l) => l !== "");
function time(name: string, f: () => void) {
  for (let i = 0; i < 2; i++) f();
  const t = performance.now(); f(); const ms = performance.now() - t;
  console.log(name.padEnd(30), (ms * 1000 / lines.length).toFixed(2), "µs/line");
}
const parsed = lines.map((l) => JSON.parse(l));
const r = createRedactor({});
time("JSON.parse", () => { for (const l of lines) JSON.parse(l); });
time("redact parsed", () => { for (const p of parsed) r.value(p); });
time("boundRaw parsed", () => { for (const p of parsed) boundRaw(p); });
let evs: any[] = [];
time("claude parser", () => { const p = claudeProfile.createParser({ provider: "claude", reply() {} } as any); evs = []; for (const l of lines) evs.push(...p.line(l)); });
time("redact events", () => { for (const e of evs) r.value(e); });
time("createEvent", () => { let s = 0; for (const e of evs) createEvent({ ...e, runId: "r", sessionId: "s", provider: "claude", sequence: s++ }); });
