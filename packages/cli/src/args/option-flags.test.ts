import { describe, expect, it } from "vitest";
import { claude } from "@asm/claude";
import { codex } from "@asm/codex";
import { flagHints } from "./flag-hints.js";
import { optionsFromFlags } from "./option-flags.js";

function usageFailure(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toMatchObject({ code: "config_invalid", details: { usage: true, flag: "--option" } });
    return (error as { reason: string }).reason;
  }
  throw new Error("expected a usage error");
}

describe("optionsFromFlags", () => {
  it("parses values as JSON when they are JSON, else keeps the text", () => {
    expect(optionsFromFlags(["maxTurns=5", "includeThinking=true", 'allowRules=["Read","Bash(git *)"]', "appendSystemPrompt=Be brief = kind"], claude())).toEqual({
      maxTurns: 5,
      includeThinking: true,
      allowRules: ["Read", "Bash(git *)"],
      appendSystemPrompt: "Be brief = kind",
    });
    expect(optionsFromFlags(["sandbox=read-only", "profile="], codex())).toEqual({ sandbox: "read-only", profile: "" });
  });

  it("refuses keys the provider's schema does not have, listing the ones it has", () => {
    expect(usageFailure(() => optionsFromFlags(["sandbox=read-only"], claude()))).toMatch(/^--option sandbox: claude has no option "sandbox"; its options: model, /);
    expect(usageFailure(() => optionsFromFlags(["noequals"], codex()))).toContain('--option must be key=value (got "noequals")');
  });
});

describe("flagHints", () => {
  it("names the flags that set the options a message mentions", () => {
    expect(flagHints('use permissionMode "default" with the sandbox option "read-only"')).toBe("use --permission-mode default with --option sandbox=read-only");
    expect(flagHints('invalid option "maxTurns" for provider claude')).toBe('invalid option "maxTurns" (--option maxTurns=…) for provider claude');
    expect(flagHints('invalid option "model" for provider claude')).toBe('invalid option "model" (--model) for provider claude');
    expect(flagHints("Set CLAUDE_CLI_PATH or the cliPath option to its location")).toBe("Set CLAUDE_CLI_PATH or --cli-path to its location");
    expect(flagHints("the sandbox option can be set")).toBe("the sandbox option can be set");
  });
});
