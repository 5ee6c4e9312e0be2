import { z } from "zod";
import type { ProviderDefinition } from "@asm/contract";
import { createFakeBackend, type FakeBackend } from "./fake-backend.js";
import type { FakeBackendOptions, FakeScript } from "./fake-script.js";

/** Options of {@link fakeProvider}. */
export interface FakeProviderOptions extends FakeBackendOptions {
  /** Provider name (default `fake`). */
  name?: string;
  /** Provider-specific option schema (default: `{ model?: string }`). */
  optionsSchema?: z.ZodObject;
  /** Admission limits (default 1 concurrent, 10 queued). */
  admission?: { maxConcurrentRuns: number; maxQueuedRuns: number };
  /** Provider-specific normalization. */
  normalizeOptions?: ProviderDefinition["normalizeOptions"];
}

/**
 * A complete `ProviderDefinition` whose core lane is a scriptable fake backend. Hand it to
 * `createAsm({ providers: [provider] })` and assert on `provider.backend.record`.
 */
export function fakeProvider(script: FakeScript, options: FakeProviderOptions = {}): ProviderDefinition & { backend: FakeBackend } {
  const name = options.name ?? "fake";
  const backend = createFakeBackend(script, { ...options, name: options.name ? `fake:${name}` : "fake:fake" });
  return {
    specificationVersion: "v1",
    name,
    displayName: `Fake (${name})`,
    optionsSchema: options.optionsSchema ?? z.strictObject({ model: z.string().optional() }),
    permissionModes: {
      default: { nativeMode: "default", cliArgs: [], label: "Default" },
      auto: { nativeMode: "auto_edit", cliArgs: ["--auto"], label: "Auto-edit", aliases: ["auto_edit"] },
      bypass: { nativeMode: "yolo", cliArgs: ["--yolo"], label: "Bypass", aliases: ["yolo"] },
      plan: { unsupported: "the fake provider has no plan mode" },
    },
    features: {
      commonFeatures: {
        ollama: { supported: false, commonOptions: ["ollama", "ollamaModel", "ollamaBaseUrl"], notes: "fake" },
      },
    },
    models: { defaultModel: "fake-model", models: [{ id: "fake-model", pricing: { inputPerToken: 1e-6, outputPerToken: 2e-6 } }] },
    admission: options.admission ?? { maxConcurrentRuns: 1, maxQueuedRuns: 10 },
    capabilities: ["streaming", "tools", "approval", "interrupt"],
    coreBackend: backend,
    backend,
    ...(options.normalizeOptions ? { normalizeOptions: options.normalizeOptions } : {}),
  };
}
