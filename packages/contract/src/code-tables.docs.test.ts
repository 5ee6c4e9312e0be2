import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ASM_ERROR_CODES, ASM_WARNING_CODES, STOP_REASONS } from "./index.js";

// The error and warning tables in the user docs are rendered from the contract's tables. Run with
// UPDATE_DOCS=1 to rewrite the blocks after changing a table.
const DOC = fileURLToPath(new URL("../../../docs/events-and-results.md", import.meta.url));

function errorTable(): string {
  const rows = Object.entries(ASM_ERROR_CODES).map(
    ([code, entry]) => `| \`${code}\` | ${entry.domain} | ${entry.retryable ? "yes" : "no"} | ${entry.meaning} |`,
  );
  return ["| code | domain | retryable | meaning |", "|---|---|---|---|", ...rows].join("\n");
}

function warningTable(): string {
  const rows = Object.entries(ASM_WARNING_CODES).map(([code, meaning]) => `| \`${code}\` | ${meaning} |`);
  return ["| code | meaning |", "|---|---|", ...rows].join("\n");
}

function stopReasonTable(): string {
  const rows = Object.entries(STOP_REASONS).map(([reason, meaning]) => `| \`${reason}\` | ${meaning} |`);
  return ["| stopReason | meaning |", "|---|---|", ...rows].join("\n");
}

function block(text: string, name: string): { start: number; end: number; content: string } {
  const open = `<!-- ${name}:start (generated from packages/contract; UPDATE_DOCS=1 pnpm --filter @asm/contract test) -->\n`;
  const close = `\n<!-- ${name}:end -->`;
  const start = text.indexOf(open);
  const end = text.indexOf(close);
  if (start < 0 || end < start) throw new Error(`docs/events-and-results.md has no ${name} block`);
  return { start: start + open.length, end, content: text.slice(start + open.length, end) };
}

describe("the documented code tables", () => {
  for (const [name, render] of [
    ["error-codes", errorTable],
    ["warning-codes", warningTable],
    ["stop-reasons", stopReasonTable],
  ] as const) {
    it(`match the contract's ${name} table`, () => {
      let text = readFileSync(DOC, "utf8");
      const found = block(text, name);
      if (process.env.UPDATE_DOCS === "1" && found.content !== render()) {
        text = text.slice(0, found.start) + render() + text.slice(found.end);
        writeFileSync(DOC, text);
      }
      expect(block(readFileSync(DOC, "utf8"), name).content).toBe(render());
    });
  }
});
