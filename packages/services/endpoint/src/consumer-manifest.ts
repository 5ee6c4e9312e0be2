import { AsmError } from "@asm/contract";
import { INFERENCE_CONTRACT_VERSION, type ConsumerManifest } from "./contracts.js";

/** The manifest of a plain OpenAI chat-completions consumer (streaming optional). */
export function consumerManifest(overrides: Partial<ConsumerManifest> = {}): ConsumerManifest {
  return {
    contractVersion: INFERENCE_CONTRACT_VERSION,
    consumer: "asm_openai_endpoint",
    acceptedRuntimeKinds: ["task"],
    acceptedManagementModes: ["asm_managed"],
    acceptedProtocols: ["openai_chat_completions"],
    requiredCapabilities: [],
    optionalCapabilities: ["streaming"],
    constraints: { targetClass: "cli_endpoint" },
    metadata: {},
    ...overrides,
  };
}

const LIST_KEYS = ["acceptedRuntimeKinds", "acceptedManagementModes", "acceptedProtocols", "requiredCapabilities", "optionalCapabilities"] as const;

/** Checks a manifest's shape; throws `AsmError("config_invalid")` naming the bad field. */
export function validateConsumerManifest(value: unknown): ConsumerManifest {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new AsmError("config_invalid", "the consumer manifest must be an object", { details: { key: "manifest", reason: "invalid_consumer_manifest" } });
  }
  const manifest = value as Record<string, unknown>;
  if (typeof manifest.contractVersion !== "string" || manifest.contractVersion === "") {
    throw new AsmError("config_invalid", "manifest.contractVersion must be a non-empty string", { details: { key: "manifest.contractVersion" } });
  }
  if (manifest.contractVersion !== INFERENCE_CONTRACT_VERSION) {
    throw new AsmError("unsupported", `manifest.contractVersion ${JSON.stringify(manifest.contractVersion)} is not ${INFERENCE_CONTRACT_VERSION}`, {
      details: { key: "manifest.contractVersion" },
    });
  }
  if (typeof manifest.consumer !== "string" || manifest.consumer === "") {
    throw new AsmError("config_invalid", "manifest.consumer must be a non-empty string", { details: { key: "manifest.consumer" } });
  }
  for (const key of LIST_KEYS) {
    const list = manifest[key];
    if (!Array.isArray(list) || !list.every((item) => typeof item === "string")) {
      throw new AsmError("config_invalid", `manifest.${key} must be an array of strings`, { details: { key: `manifest.${key}` } });
    }
  }
  for (const key of ["constraints", "metadata"] as const) {
    const record = manifest[key];
    if (typeof record !== "object" || record === null || Array.isArray(record)) {
      throw new AsmError("config_invalid", `manifest.${key} must be an object`, { details: { key: `manifest.${key}` } });
    }
  }
  return manifest as unknown as ConsumerManifest;
}
