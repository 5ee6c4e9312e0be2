import type { InvocationInput } from "@asm/contract";
import { expectAsmError } from "@asm/testkit/assertions";
import { describe, expect, it } from "vitest";
import { CLAUDE_INITIALIZE_REQUEST_ID } from "./control-protocol.js";
import { buildClaudeInvocation } from "./invocation.js";
import { normalizeClaudeOptions } from "./normalize-options.js";
import { claudeOptionsSchema, type ClaudeProfileOptions } from "../options.js";

/** The options as the kernel hands them over: Claude's keys validated, common keys kept, then normalized. */
function asKernelWould(options: Record<string, unknown>): ClaudeProfileOptions {
  return normalizeClaudeOptions(claudeOptionsSchema.loose().parse(options)) as ClaudeProfileOptions;
}

function build(options: Record<string, unknown> = {}, input: Partial<Omit<InvocationInput, "options">> = {}) {
  return buildClaudeInvocation({ prompt: "Say OK", options: asKernelWould(options), maxArgvPromptBytes: 100_000, ...input });
}

/**
 * Print mode's arguments followed by what goes to stdin (the prompt), so assertions can read the
 * flags that come last as they did when the prompt was an argument.
 */
function printArgs(options: Record<string, unknown>, input: Partial<Omit<InvocationInput, "options">> = {}): string[] {
  const invocation = build({ controlProtocol: false, ...options }, input);
  return [...invocation.args, invocation.stdin ?? "<no stdin>"];
}

function expectConfigError(run: () => unknown, key?: string): void {
  expectAsmError(run, key === undefined ? "config_invalid" : { code: "config_invalid", message: key });
}

describe("control protocol mode (the default)", () => {
  it("streams JSON both ways, asks approvals over stdio, and keeps stdin open", () => {
    const invocation = build();
    expect(invocation.args).toEqual([
      "-p",
      "--include-partial-messages",
      "--output-format",
      "stream-json",
      "--verbose",
      "--input-format",
      "stream-json",
      "--permission-prompt-tool",
      "stdio",
      "--permission-mode",
      "default",
    ]);
    expect(invocation.closeStdin).toBe(false);
    expect(invocation.env).toEqual({});
  });

  it("writes initialize, then the prompt as a user message, one JSON line each", () => {
    const stdin = build({}, { prompt: 'Line one\nline "two"' }).stdin ?? "";
    expect(stdin.endsWith("\n")).toBe(true);
    const lines = stdin.trimEnd().split("\n").map((line): unknown => JSON.parse(line));
    expect(lines).toEqual([
      { type: "control_request", request_id: CLAUDE_INITIALIZE_REQUEST_ID, request: { subtype: "initialize" } },
      {
        type: "user",
        session_id: "",
        message: { role: "user", content: [{ type: "text", text: 'Line one\nline "two"' }] },
        parent_tool_use_id: null,
      },
    ]);
  });

  it("never puts the prompt on the command line, however long", () => {
    const prompt = "x".repeat(500);
    const invocation = build({}, { prompt, maxArgvPromptBytes: 10 });
    expect(invocation.args.join(" ")).not.toContain(prompt);
    expect(invocation.stdin).toContain(prompt);
  });

  it("a permission prompt tool replaces stdio", () => {
    const { args } = build({ permissionPromptTool: "mcp__perm__ask" });
    expect(args).toContain("mcp__perm__ask");
    expect(args).not.toContain("stdio");
  });
});

describe("print mode (controlProtocol: false)", () => {
  it("writes the prompt to stdin and closes it; the prompt is never an argument", () => {
    const invocation = build({ controlProtocol: false });
    expect(invocation.args).toEqual(["-p", "--include-partial-messages", "--output-format", "stream-json", "--verbose", "--permission-mode", "default"]);
    expect(invocation.stdin).toBe("Say OK");
    expect(invocation.closeStdin).toBe(true);
    for (const prompt of ["é".repeat(6), "--help me", "x".repeat(200_000)]) {
      const other = build({ controlProtocol: false }, { prompt, maxArgvPromptBytes: 10 });
      expect(other.stdin).toBe(prompt);
      expect(other.args).not.toContain(prompt);
    }
  });

  it("keeps an MCP permission prompt tool", () => {
    expect(printArgs({ permissionPromptTool: "mcp__perm__ask" })).toContain("mcp__perm__ask");
    expect(printArgs({})).not.toContain("--permission-prompt-tool");
  });
});

describe("options → arguments", () => {
  it.each<[string, Record<string, unknown>, string[]]>([
    ["model", { model: "sonnet" }, ["--model", "sonnet"]],
    ["fallbackModel", { fallbackModel: "claude-opus-5-5" }, ["--fallback-model", "claude-opus-5-5"]],
    ["systemPrompt", { systemPrompt: "Be terse." }, ["--system-prompt", "Be terse."]],
    ["empty systemPrompt", { systemPrompt: "" }, ["--system-prompt", ""]],
    ["appendSystemPrompt", { appendSystemPrompt: "Answer in French." }, ["--append-system-prompt", "Answer in French."]],
    ["maxTurns", { maxTurns: 4 }, ["--max-turns", "4"]],
    ["effort", { effort: "xhigh" }, ["--effort", "xhigh"]],
    ["includeThinking true", { includeThinking: true }, ["--thinking", "enabled"]],
    ["includeThinking false", { includeThinking: false }, ["--thinking", "disabled"]],
    ["jsonSchema", { jsonSchema: { type: "object", required: ["a"] } }, ["--json-schema", '{"type":"object","required":["a"]}']],
    ["allowRules", { allowRules: ["Read", "Bash(git *)"] }, ["--allowedTools=Read,Bash(git *)"]],
    ["denyRules", { denyRules: ["WebFetch"] }, ["--disallowedTools=WebFetch"]],
    ["additionalDirectories", { additionalDirectories: ["/a", "/b c"] }, ["--add-dir=/a", "--add-dir=/b c"]],
    ["mcpConfig path", { mcpConfig: "./mcp.json" }, ["--mcp-config=./mcp.json"]],
    ["strictMcpConfig", { strictMcpConfig: true }, ["--strict-mcp-config"]],
    ["settingSources", { settingSources: ["user", "project"] }, ["--setting-sources=user,project"]],
    ["empty settingSources", { settingSources: [] }, ["--setting-sources="]],
    ["includePartialMessages", { includePartialMessages: true }, ["--include-partial-messages"]],
  ])("%s", (_name, options, expected) => {
    const args = printArgs(options);
    const at = args.indexOf(expected[0] as string);
    expect(at).toBeGreaterThan(0);
    expect(args.slice(at, at + expected.length)).toEqual(expected);
    expect(args.at(-1)).toBe("Say OK");
  });

  it("leaves out flags whose options are unset, false or empty", () => {
    const args = printArgs({ allowRules: [], denyRules: [], strictMcpConfig: false, includePartialMessages: false, appendSystemPrompt: "" });
    expect(args).toEqual(["-p", "--output-format", "stream-json", "--verbose", "--permission-mode", "default", "Say OK"]);
  });

  it("writes an MCP config object to a private file and passes its token as its own argument", () => {
    const servers = { fs: { command: "mcp-fs", args: ["/tmp"], env: { TOKEN: "secret" } } };
    const wrapped = build({ mcpConfig: { mcpServers: servers } });
    const bare = build({ mcpConfig: servers });
    for (const invocation of [wrapped, bare]) {
      expect(invocation.files).toEqual([{ key: "mcp", content: JSON.stringify({ mcpServers: servers }) }]);
      const at = invocation.args.indexOf("--mcp-config");
      expect(invocation.args[at + 1]).toBe("${file:mcp}");
      // A fixed flag follows, so the variadic --mcp-config takes only the path.
      expect(invocation.args[at + 2]?.startsWith("--")).toBe(true);
      expect(invocation.args.join(" ")).not.toContain("secret");
    }
  });

  it("renders extraArgs last and leaves the common env to the kernel", () => {
    const invocation = build({ controlProtocol: false, env: { FOO: "1" }, extraArgs: ["--debug", "api"], cwd: "/w", cliPath: "/bin/claude" });
    expect(invocation.args.slice(-2)).toEqual(["--debug", "api"]);
    expect(invocation.args.indexOf("--debug")).toBeGreaterThan(invocation.args.indexOf("--permission-mode"));
    expect(invocation.env).toEqual({});
  });
});

describe("permission modes", () => {
  it.each([
    [{ permissionMode: "default" as const }, "default"],
    [{ permissionMode: "auto" as const }, "acceptEdits"],
    [{ permissionMode: "bypass" as const }, "bypassPermissions"],
    [{ permissionMode: "plan" as const }, "plan"],
    [{}, "default"],
    [{ permissionMode: "auto" as const, nativePermissionMode: "dont_ask" }, "dontAsk"],
    [{ permissionMode: "auto" as const, nativePermissionMode: "acceptEdits" }, "acceptEdits"],
    [{ permissionMode: "auto" as const, nativePermissionMode: "delegate" }, "acceptEdits"],
    [{ permissionMode: "bypass" as const, nativePermissionMode: "bypass_permissions" }, "bypassPermissions"],
    [{ nativePermissionMode: "manual" }, "default"],
  ])("%j → --permission-mode %s", (input, expected) => {
    const args = build({}, input).args;
    expect(args.slice(args.indexOf("--permission-mode"), args.indexOf("--permission-mode") + 2)).toEqual(["--permission-mode", expected]);
  });

  it("never sets IS_SANDBOX for bypass (the caller decides)", () => {
    expect(build({}, { permissionMode: "bypass" }).env).not.toHaveProperty("IS_SANDBOX");
  });

  it("rejects an unknown native mode", () => {
    expectConfigError(() => build({}, { nativePermissionMode: "yolo" }), "yolo");
  });
});

describe("continuation", () => {
  it("exact resumes the session by id; latest continues the most recent one", () => {
    expect(printArgs({}, { continuation: { strategy: "exact", providerSessionId: "abc-123" } }).slice(1, 3)).toEqual(["--resume", "abc-123"]);
    const latest = printArgs({}, { continuation: { strategy: "latest" } });
    expect(latest).toContain("--continue");
    expect(latest).not.toContain("--resume");
    expect(printArgs({})).not.toContain("--continue");
  });

  it("refuses an exact continuation without an id", () => {
    expectConfigError(() => build({}, { continuation: { strategy: "exact", providerSessionId: " " } }));
  });
});

describe("model provider environment", () => {
  it("the Ollama route sets the base URL, the token and clears the API key", () => {
    const invocation = build({ ollama: true, ollamaModel: "qwen3-coder" });
    expect(invocation.env).toEqual({
      ANTHROPIC_BASE_URL: "http://127.0.0.1:11434",
      ANTHROPIC_AUTH_TOKEN: "ollama",
      ANTHROPIC_API_KEY: "",
    });
    expect(invocation.args.slice(1, 3)).toEqual(["--model", "qwen3-coder"]);
  });

  it("maps a canonical model name to the Ollama id", () => {
    const invocation = build({ providerBackend: "ollama", model: "haiku", externalModelOverrides: { "claude-haiku-5-5": "llama3.2" }, ollamaBaseUrl: "http://10.0.0.2:11434" });
    expect(invocation.args.slice(1, 3)).toEqual(["--model", "llama3.2"]);
    expect(invocation.env["ANTHROPIC_BASE_URL"]).toBe("http://10.0.0.2:11434");
  });

  it("an Anthropic-compatible endpoint and token go to the environment", () => {
    expect(build({ anthropicBaseUrl: "https://gateway.example/v1", anthropicAuthToken: "tok" }).env).toEqual({
      ANTHROPIC_BASE_URL: "https://gateway.example/v1",
      ANTHROPIC_AUTH_TOKEN: "tok",
    });
  });

  it("Ollama conflicts surface as config_invalid", () => {
    expectConfigError(() => build({ ollama: true }), "ollamaModel");
  });
});
