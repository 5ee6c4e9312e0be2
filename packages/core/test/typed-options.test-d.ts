// Type tests (run by vitest's typecheck mode, see vitest.config.ts): `createAsm` infers each
// provider's session and run options from its definition, so a misspelt or foreign key is a
// compile error. The runtime half (the same typos rejected as config_invalid) is in
// options-and-lanes.test.ts and, with the real providers, packages/cli/src/typed-options.test.ts.
import type { z } from "zod";
import { describe, expectTypeOf, it } from "vitest";
import type { ProviderDefinition } from "@asm/contract";
import { fakeProvider } from "@asm/testkit";
import { createAsm, type RunStream, type Session } from "../src/index.js";

type AlphaSchema = z.ZodObject<{ temperature: z.ZodOptional<z.ZodNumber>; style: z.ZodDefault<z.ZodEnum<{ terse: "terse"; chatty: "chatty" }>> }>;
type BetaSchema = z.ZodObject<{ depth: z.ZodOptional<z.ZodNumber> }>;

type AlphaOptions = z.output<AlphaSchema> & Record<string, unknown>;
type BetaOptions = z.output<BetaSchema> & Record<string, unknown>;

declare const alpha: ProviderDefinition<"alpha", AlphaOptions, z.input<AlphaSchema>>;
declare const beta: ProviderDefinition<"beta", BetaOptions, z.input<BetaSchema>>;

describe("createAsm with typed providers", () => {
  const asm = createAsm({ providers: [alpha, beta] });

  it("offers each provider its own keys, the kernel's and the common ones", () => {
    void asm.startSession({ provider: "alpha", temperature: 0.2, style: "chatty", permissionMode: "auto", idleTimeoutMs: 1_000, maxQueuedRuns: 2 });
    void asm.startSession({ provider: "beta", depth: 3, cwd: "/tmp", executionSurface: { kind: "ssh_exec", transportOptions: { destination: "h" } } });
    void asm.query("alpha", "hi", { temperature: 1, runId: "r-1", allowedTools: ["Read"] });
    void asm.query("beta", "hi", { depth: 1, wallTimeoutMs: 60_000 });
  });

  it("makes a misspelt or foreign key a compile error", () => {
    // @ts-expect-error — `temprature` is misspelt.
    void asm.startSession({ provider: "alpha", temprature: 0.2 });
    // @ts-expect-error — `depth` is beta's key, not alpha's.
    void asm.startSession({ provider: "alpha", depth: 3 });
    // @ts-expect-error — `style` takes "terse" or "chatty".
    void asm.query("alpha", "hi", { style: "loud" });
    // @ts-expect-error — `temperature` is alpha's key, not beta's.
    void asm.query("beta", "hi", { temperature: 1 });
    // @ts-expect-error — there is no provider "gamma".
    void asm.query("gamma", "hi");
    // @ts-expect-error — a kernel key keeps its kernel type.
    void asm.query("beta", "hi", { permissionMode: "yolo" });
  });

  it("types a session's runs by its provider", async () => {
    const session = await asm.startSession({ provider: "beta" });
    expectTypeOf(session).toExtend<Session<object>>();
    void session.stream("hi", { depth: 2 });
    // @ts-expect-error — `temperature` is alpha's key.
    void session.stream("hi", { temperature: 1 });
    expectTypeOf(asm.stream("alpha", "hi")).toEqualTypeOf<RunStream>();
    expectTypeOf(asm.stream("alpha", "hi").runId).toEqualTypeOf<string>();
  });

  it("lists the registered names", () => {
    expectTypeOf(asm.providers()).toEqualTypeOf<Array<"alpha" | "beta">>();
  });
});

describe("createAsm with untyped providers", () => {
  it("accepts any provider key and checks it at run start instead", () => {
    const asm = createAsm({ providers: [fakeProvider([])] });
    void asm.query("fake", "hi", { anything: 1, model: "m" });
    void asm.startSession({ provider: "fake", whatever: true, permissionMode: "auto" });
    // @ts-expect-error — kernel keys stay typed even here.
    void asm.query("fake", "hi", { idleTimeoutMs: "soon" });
  });
});

describe("ProviderDefinition", () => {
  it("refuses an option schema that declares a kernel key", () => {
    type Shadowing = { allowedTools?: string[]; depth?: number };
    // @ts-expect-error — `allowedTools` is a kernel key: the kernel would take it and the provider never see it.
    type Refused = ProviderDefinition<"x", Record<string, unknown>, Shadowing>;
    expectTypeOf<Refused>().not.toBeNever();
  });
});
