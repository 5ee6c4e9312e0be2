import { createAsm } from "@asm/core";
import { claude } from "@asm/claude";

const asm = createAsm({ providers: [claude()] });
try {
  const session = await asm.startSession({ provider: "claude", permissionMode: "auto", cwd: process.cwd() });

  for await (const event of session.stream("Fix the failing test")) {
    if (event.kind === "assistant_delta") process.stdout.write(event.payload.content);
    if (event.kind === "approval_requested") await asm.approve(event.payload.approvalId, "allow");
    if (event.kind === "error") console.error(`\n${event.payload.code}: ${event.payload.message}`);
    if (event.kind === "run_completed") console.log(`\nrun ${event.payload.status}`);
  }

  const result = await session.query("Now explain the fix in one sentence"); // same conversation
  console.log(result.text, result.usage, result.costUsd);
} catch (error) {
  // What fails outside the events (no CLI, bad options, a failed query) rejects with an AsmError,
  // whose code is stable: cli_not_found, config_invalid, auth_error, rate_limit, timeout, …
  const { code, message } = error as { code?: string; message?: string };
  console.error(`${code ?? "error"}: ${message ?? String(error)}`);
  process.exitCode = 1;
} finally {
  await asm.dispose();
}
