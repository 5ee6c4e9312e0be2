import { buildLineSet } from "./stream/line-set.js";
const set = buildLineSet({ lines: 100000 });
const lines = set.text.split("\n").filter((l) => l !== "");
const parsed = lines.map((l) => JSON.parse(l));
const strs: string[] = [];
const collect = (v: any) => { if (typeof v === "string") { strs.push(v); return; } if (v && typeof v === "object") for (const k of Object.keys(v)) { strs.push(k); collect(v[k]); } };
for (const p of parsed) collect(p);
console.log("strings", strs.length, "chars", strs.reduce((a, s) => a + s.length, 0));
function time(name: string, f: () => number) {
  for (let i = 0; i < 2; i++) f();
  const t = performance.now(); const n = f(); const ms = performance.now() - t;
  console.log(name.padEnd(30), ms.toFixed(1), "ms", n);
}
const hints = ["sk-", "AIza", "earer", "EARER"];
time("some includes", () => { let n = 0; for (const s of strs) if (s.length >= 16 && hints.some((h) => s.includes(h))) n++; return n; });
const re = /sk-|AIza|earer|EARER/;
time("regex test", () => { let n = 0; for (const s of strs) if (s.length >= 16 && re.test(s)) n++; return n; });
time("loop includes", () => { let n = 0; for (const s of strs) { if (s.length < 16) continue; for (let i = 0; i < hints.length; i++) if (s.includes(hints[i]!)) { n++; break; } } return n; });
time("indexOf", () => { let n = 0; for (const s of strs) { if (s.length < 16) continue; if (s.indexOf("sk-") !== -1 || s.indexOf("AIza") !== -1 || s.indexOf("earer") !== -1 || s.indexOf("EARER") !== -1) n++; } return n; });
