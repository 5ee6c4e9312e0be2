import type { ProviderDefinition } from "@asm/contract";
import { jsonlTestProfile } from "@asm/testkit";
import { z } from "zod";

/** A provider over the testkit's fake CLI (its JSONL test profile, with the stdio control protocol). */
export function jsonlProvider(): ProviderDefinition {
  return {
    specificationVersion: "v1",
    name: "jsonl",
    displayName: "JSONL test CLI",
    optionsSchema: z.strictObject({ promptVia: z.enum(["argv", "stdin"]).optional() }),
    permissionModes: {
      default: { nativeMode: "default", cliArgs: [], label: "Default" },
      auto: { unsupported: "test CLI" },
      bypass: { unsupported: "test CLI" },
      plan: { unsupported: "test CLI" },
    },
    features: { commonFeatures: {} },
    models: { defaultModel: null, models: [] },
    admission: { maxConcurrentRuns: 4, maxQueuedRuns: 10 },
    capabilities: ["streaming", "tools", "approval", "interrupt"],
    profile: jsonlTestProfile({ control: { interruptVia: "signal" } }),
  };
}
