import type { AsmError } from "@asm/contract";
import { createAsm } from "@asm/core";
import { fakeEvents, fakeProvider } from "@asm/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { checkCompatibility } from "./compatibility.js";
import { consumerManifest } from "./consumer-manifest.js";
import { INFERENCE_CONTRACT_VERSION } from "./contracts.js";
import { ensureEndpoint, releaseEndpoint, startEndpointServer, type EndpointServer } from "./endpoint-server.js";
import { backendManifestOf, publicationOf } from "./publication.js";

let server: EndpointServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(capabilities?: readonly string[]) {
  const base = fakeProvider([{ emit: fakeEvents.result("ok") }]);
  const provider = capabilities ? { ...base, capabilities: capabilities as typeof base.capabilities } : base;
  const asm = createAsm({ providers: [provider] });
  server = await startEndpointServer({ asm });
  return server;
}

const codeOf = (promise: Promise<unknown>) => promise.then(() => "resolved", (error: AsmError) => ({ code: error.code, details: error.details }));

describe("publication and compatibility", () => {
  it("derives labels from the profile's capabilities", () => {
    expect(publicationOf("claude", ["streaming", "tools", "thinking"])).toMatchObject({ cliCompletionV1: true, cliStreamingV1: true, cliAgentV2: true, commonSurfaceOnly: false });
    expect(publicationOf("amp", ["streaming", "tools"])).toMatchObject({ cliAgentV2: false, commonSurfaceOnly: true });
    expect(publicationOf("gemini", ["approval"])).toMatchObject({ cliCompletionV1: false, cliStreamingV1: false, derivedFrom: [] });
  });

  it("checks in order and warns about unmet optional capabilities", () => {
    const streaming = backendManifestOf("claude", publicationOf("claude", ["streaming", "tools"]));
    const plain = backendManifestOf("gemini", publicationOf("gemini", ["tools"]));
    expect(checkCompatibility(consumerManifest(), streaming)).toMatchObject({ compatible: true, reason: "protocol_match", resolvedProtocol: "openai_chat_completions", warnings: [] });
    expect(checkCompatibility(consumerManifest(), plain).warnings).toEqual(["optional capability streaming is not published"]);
    expect(checkCompatibility(consumerManifest({ acceptedRuntimeKinds: ["service"] }), streaming).reason).toBe("runtime_kind_mismatch");
    expect(checkCompatibility(consumerManifest({ acceptedManagementModes: ["external"] }), streaming).reason).toBe("management_mode_mismatch");
    expect(checkCompatibility(consumerManifest({ acceptedProtocols: ["openai_responses"] }), streaming).reason).toBe("protocol_mismatch");
    expect(checkCompatibility(consumerManifest(), plain, { stream: true })).toMatchObject({ compatible: false, reason: "missing_streaming", missingRequirements: ["streaming"] });
    expect(checkCompatibility(consumerManifest(), streaming, { tools: true })).toMatchObject({ reason: "missing_capability", missingRequirements: ["tool_calling"] });
    expect(checkCompatibility(consumerManifest({ requiredCapabilities: ["embeddings"] }), streaming)).toMatchObject({ reason: "missing_capability", missingRequirements: ["embeddings"] });
  });
});

describe("ensureEndpoint and releaseEndpoint", () => {
  it("leases a descriptor with a loopback base URL and a per-lease token", async () => {
    const endpoint = await start();
    const first = await ensureEndpoint({ modelPreference: { provider: "fake", id: "fake-model" } }, consumerManifest(), { server: endpoint, boundaryRef: "b-1" });
    const second = await endpoint.ensureEndpoint({ modelPreference: { provider: "fake", model: "fake-model" } }, consumerManifest());
    expect(first.descriptor).toMatchObject({
      contractVersion: INFERENCE_CONTRACT_VERSION,
      protocol: "openai_chat_completions",
      targetClass: "cli_endpoint",
      providerIdentity: "fake",
      modelIdentity: "fake-model",
      boundaryRef: "b-1",
      capabilities: { streaming: true, toolCalling: false },
    });
    expect(first.descriptor.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/leases\/lease_[0-9A-Z]{26}\/v1$/);
    expect(first.descriptor.headers.authorization).toBe(`Bearer ${first.token}`);
    expect(first.token).not.toBe(second.token);
    expect(endpoint.loopbackOnly).toBe(true);
    await releaseEndpoint(endpoint, first.descriptor.leaseRef);
    const health = await fetch(first.descriptor.healthRef, { headers: first.descriptor.headers });
    expect(health.status).toBe(404);
    await releaseEndpoint(endpoint, "lease_unknown");
  });

  it("refuses an unknown provider, a missing model, a bad manifest, a short token, an incompatible consumer", async () => {
    const endpoint = await start(["tools"]);
    const manifest = consumerManifest();
    expect(await codeOf(endpoint.ensureEndpoint({ modelPreference: { provider: "nope", id: "m" } }, manifest))).toMatchObject({ code: "unsupported", details: { reason: "unsupported_provider" } });
    expect(await codeOf(endpoint.ensureEndpoint({ modelPreference: { provider: "fake", id: " " } }, manifest))).toMatchObject({ code: "config_invalid", details: { key: "modelPreference.id" } });
    expect(await codeOf(endpoint.ensureEndpoint({ modelPreference: { provider: "fake", id: "m" } }, { ...manifest, contractVersion: "inference.v0" }))).toMatchObject({ code: "unsupported" });
    expect(await codeOf(endpoint.ensureEndpoint({ modelPreference: { provider: "fake", id: "m" } }, { ...manifest, acceptedProtocols: "x" } as never))).toMatchObject({
      code: "config_invalid",
      details: { key: "manifest.acceptedProtocols" },
    });
    expect(await codeOf(endpoint.ensureEndpoint({ modelPreference: { provider: "fake", id: "m" } }, manifest, { token: "short" }))).toMatchObject({ code: "config_invalid", details: { key: "token" } });
    expect(await codeOf(endpoint.ensureEndpoint({ modelPreference: { provider: "fake", id: "m" }, stream: true }, manifest))).toMatchObject({
      code: "unsupported",
      details: { reason: "incompatible", compatibility: { reason: "missing_streaming" } },
    });
    expect(await codeOf(endpoint.ensureEndpoint({ modelPreference: { provider: "fake", id: "m" }, toolChoice: "auto" }, manifest))).toMatchObject({
      details: { compatibility: { reason: "missing_capability", missingRequirements: ["tool_calling"] } },
    });
  });

  it("rejects a stream on a lease whose provider publishes no streaming", async () => {
    const endpoint = await start(["tools"]);
    const lease = await endpoint.ensureEndpoint({ modelPreference: { provider: "fake", id: "fake-model" } }, consumerManifest());
    const response = await fetch(`${lease.descriptor.baseUrl}/chat/completions`, {
      method: "POST",
      headers: lease.descriptor.headers,
      body: JSON.stringify({ messages: [{ role: "user", content: "hi" }], stream: true }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string; param: string } }).error).toMatchObject({ code: "unsupported", param: "stream" });
  });
});
