import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { AsmError, ulid } from "@asm/contract";
import type { Asm } from "@asm/core";
import { checkCompatibility } from "./compatibility.js";
import { validateConsumerManifest } from "./consumer-manifest.js";
import { INFERENCE_CONTRACT_VERSION, type CompatibilityResult, type ConsumerManifest, type EndpointDescriptor } from "./contracts.js";
import { bearerMatches, mintToken } from "./internal/bearer.js";
import { ConversationTable, type ConversationLimits } from "./internal/conversations.js";
import type { Lease } from "./internal/lease.js";
import { sendAsmError, sendError, sendJson } from "./internal/openai-error.js";
import { readJsonBody } from "./internal/read-body.js";
import { runChat } from "./internal/run-chat.js";
import { backendManifestOf, publicationOf } from "./publication.js";

/** Options of {@link startEndpointServer}. */
export interface EndpointServerOptions {
  /** The runtime whose providers the endpoint publishes. */
  asm: Asm;
  /** Interface to bind. Default `127.0.0.1`; anything else must be asked for explicitly. */
  host?: string;
  /** Port. Default 0 (a free port). */
  port?: number;
  /** Largest request body accepted (bytes); larger → 413. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Largest request header block (bytes); larger → 431. Default 16 KiB. */
  maxHeaderBytes?: number;
  /** Chat requests served at once across all leases; more → 429 `at_capacity`. Default 64. */
  maxConcurrentRequests?: number;
  /** Time allowed to receive a whole request (ms). Default 30 000. */
  requestTimeoutMs?: number;
  /**
   * Conversations (`x-asm-conversation-id`) one lease keeps; a new one past this ends the longest
   * idle, or answers 429 `at_capacity` when all are busy. Default 64.
   */
  maxConversationsPerLease?: number;
  /** A conversation unused for this long (ms) is ended and its session stopped. Default 900 000 (15 min). */
  conversationIdleMs?: number;
}

/** What a lease request names: the provider and model to pin, and what the caller will use. */
export interface EndpointRequest {
  modelPreference: { provider: string; id?: string; model?: string };
  /** The caller will stream. */
  stream?: boolean;
  /** Client-side tools the caller would pass (the endpoint refuses them). */
  tools?: readonly unknown[];
  toolChoice?: unknown;
  toolPolicy?: { tools?: readonly unknown[] };
}

/** Context of {@link EndpointServer.ensureEndpoint}. */
export interface EnsureEndpointContext {
  /** Session defaults of every run through the lease (`cwd`, `cliPath`, `permissionMode`, …). */
  sessionOptions?: Record<string, unknown>;
  /** Use this bearer token instead of minting one (at least 16 characters). */
  token?: string;
  /** The isolation boundary the endpoint serves, reported in the descriptor. */
  boundaryRef?: string;
}

/** A granted lease: where to call, the token, and why it fits. */
export interface EndpointLease {
  descriptor: EndpointDescriptor;
  compatibility: CompatibilityResult;
  /** The bearer token (secret: never log it). */
  token: string;
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);
const LEASE_ROUTE = /^\/leases\/([^/]+)(\/health|\/v1\/models|\/v1\/chat\/completions)\/?$/;

/**
 * The OpenAI-compatible endpoint: leases pin a provider and model, each with its own bearer
 * token, under `/leases/<ref>/v1`. Node's `http` serves it; nothing but loopback unless a host is
 * given.
 */
export class EndpointServer {
  private readonly leases = new Map<string, Lease>();
  private inFlight = 0;
  private readonly maxBodyBytes: number;
  private readonly maxConcurrent: number;
  private readonly conversationLimits: ConversationLimits;
  private readonly sweeper: NodeJS.Timeout;

  private constructor(
    private readonly asm: Asm,
    private readonly server: Server,
    /** `http://<host>:<port>` the server listens on. */
    readonly url: string,
    options: EndpointServerOptions,
  ) {
    this.maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
    this.maxConcurrent = options.maxConcurrentRequests ?? 64;
    this.conversationLimits = { max: options.maxConversationsPerLease ?? 64, idleMs: options.conversationIdleMs ?? 900_000 };
    // Idle conversations end even when no request comes to notice them.
    this.sweeper = setInterval(() => {
      for (const lease of this.leases.values()) lease.conversations.sweep();
    }, Math.min(60_000, Math.max(1_000, Math.floor(this.conversationLimits.idleMs / 2))));
    this.sweeper.unref();
  }

  /** Binds and starts serving. */
  static async start(options: EndpointServerOptions): Promise<EndpointServer> {
    const host = options.host ?? "127.0.0.1";
    for (const [key, value] of [["maxBodyBytes", options.maxBodyBytes], ["maxHeaderBytes", options.maxHeaderBytes], ["maxConcurrentRequests", options.maxConcurrentRequests], ["maxConversationsPerLease", options.maxConversationsPerLease], ["conversationIdleMs", options.conversationIdleMs]] as const) {
      if (value !== undefined && (!Number.isInteger(value) || value < 1)) throw new AsmError("config_invalid", `${key} must be a positive integer`, { details: { key } });
    }
    // The handler needs the instance, the instance needs the bound address.
    const holder: { instance?: EndpointServer } = {};
    const server = createServer({ maxHeaderSize: options.maxHeaderBytes ?? 16 * 1024, requestTimeout: options.requestTimeoutMs ?? 30_000 }, (req, res) => {
      void holder.instance?.handle(req, res);
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, host, () => resolve());
    });
    const address = server.address() as AddressInfo;
    const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
    holder.instance = new EndpointServer(options.asm, server, `http://${shownHost}:${address.port}`, options);
    return holder.instance;
  }

  /** Whether the server listens on loopback only. */
  get loopbackOnly(): boolean {
    return LOOPBACK.has(new URL(this.url).hostname.replace(/^\[|\]$/g, ""));
  }

  /**
   * Leases an endpoint for a provider and model after checking the consumer fits: unknown
   * provider → `unsupported`; no model id → `config_invalid` (`modelPreference.id`); an
   * incompatible consumer → `unsupported` with the result on `details.compatibility`.
   */
  async ensureEndpoint(request: EndpointRequest, manifest: ConsumerManifest, context: EnsureEndpointContext = {}): Promise<EndpointLease> {
    if (typeof request !== "object" || request === null) throw new AsmError("config_invalid", "the endpoint request must be an object", { details: { key: "request" } });
    const consumer = validateConsumerManifest(manifest);
    const preference = request.modelPreference as EndpointRequest["modelPreference"] | undefined;
    const providerName = preference?.provider;
    if (typeof providerName !== "string" || !this.asm.providers().includes(providerName)) {
      throw new AsmError("unsupported", `unsupported provider ${JSON.stringify(providerName)}; registered: ${this.asm.providers().join(", ")}`, {
        details: { key: "modelPreference.provider", reason: "unsupported_provider" },
      });
    }
    const model = preference?.id ?? preference?.model;
    if (typeof model !== "string" || model.trim() === "") {
      throw new AsmError("config_invalid", "modelPreference.id must name a model", { details: { key: "modelPreference.id", reason: "missing_model_identity" } });
    }
    if (context.token !== undefined && (typeof context.token !== "string" || context.token.length < 16)) {
      throw new AsmError("config_invalid", "token must be at least 16 characters", { details: { key: "token" } });
    }
    const info = await this.asm.providerInfo(providerName);
    const publication = publicationOf(info.provider, info.coreCapabilities);
    const backendManifest = backendManifestOf(info.provider, publication);
    const wantsTools = (request.tools?.length ?? 0) > 0 || (request.toolPolicy?.tools?.length ?? 0) > 0 || (request.toolChoice !== undefined && request.toolChoice !== null && request.toolChoice !== "none");
    const compatibility = checkCompatibility(consumer, backendManifest, { stream: request.stream === true, tools: wantsTools });
    if (!compatibility.compatible) {
      throw new AsmError("unsupported", `the ${info.provider} endpoint does not fit the consumer: ${compatibility.reason} ${compatibility.missingRequirements.join(", ")}`.trim(), {
        details: { reason: "incompatible", compatibility },
      });
    }
    const ref = `lease_${ulid()}`;
    const endpointId = `endpoint_${ulid()}`;
    const token = context.token ?? mintToken();
    this.leases.set(ref, {
      ref,
      endpointId,
      token,
      provider: info.provider,
      model,
      publication,
      backendManifest,
      sessionOptions: { ...context.sessionOptions },
      conversations: new ConversationTable(this.conversationLimits, (session) => this.asm.stopSession(session)),
      createdAt: Date.now(),
    });
    const descriptor: EndpointDescriptor = {
      contractVersion: INFERENCE_CONTRACT_VERSION,
      endpointId,
      runtimeKind: "task",
      managementMode: compatibility.resolvedManagementMode ?? "asm_managed",
      targetClass: "cli_endpoint",
      protocol: "openai_chat_completions",
      baseUrl: `${this.url}/leases/${ref}/v1`,
      headers: { authorization: `Bearer ${token}` },
      providerIdentity: info.provider,
      modelIdentity: model,
      sourceRuntime: "asm",
      sourceRuntimeRef: this.url,
      leaseRef: ref,
      healthRef: `${this.url}/leases/${ref}/health`,
      boundaryRef: context.boundaryRef ?? null,
      capabilities: { streaming: publication.cliStreamingV1, toolCalling: false },
      metadata: { publication, backendManifest },
    };
    return { descriptor, compatibility, token };
  }

  /** Ends a lease: later requests answer 404, its conversations' sessions stop. Unknown refs are ignored. */
  async releaseEndpoint(lease: string | { leaseRef: string }): Promise<void> {
    const ref = typeof lease === "string" ? lease : lease?.leaseRef;
    const entry = typeof ref === "string" ? this.leases.get(ref) : undefined;
    if (!entry) return;
    this.leases.delete(entry.ref);
    await this.stopConversations(entry);
  }

  /** Stops serving: every lease is released and every run through the endpoint interrupted. */
  async close(): Promise<void> {
    const leases = [...this.leases.values()];
    this.leases.clear();
    clearInterval(this.sweeper);
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await Promise.all(leases.map((lease) => this.stopConversations(lease)));
    await closed;
  }

  private async stopConversations(lease: Lease): Promise<void> {
    await lease.conversations.clear();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      await this.route(req, res);
    } catch (error) {
      if (res.headersSent) {
        res.end();
        return;
      }
      const status = AsmError.isInstance(error) ? error.details.status : undefined;
      if (status === 413 && AsmError.isInstance(error)) sendError(res, 413, error.code, error.reason, "body");
      else sendAsmError(res, error);
    }
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const match = LEASE_ROUTE.exec(path);
    if (!match) return sendError(res, 404, "not_found", `no route for ${req.method ?? "GET"} ${path}`);
    const [, ref = "", route] = match;
    const lease = this.leases.get(ref);
    if (!lease) return sendError(res, 404, "not_found", "unknown or released lease");
    if (!bearerMatches(req.headers.authorization, lease.token)) {
      return sendError(res, 401, "auth_error", "missing or wrong bearer token");
    }
    const method = req.method ?? "GET";
    if (route === "/health" && method === "GET") {
      return sendJson(res, 200, { status: "ok", endpoint_id: lease.endpointId, lease_ref: lease.ref, provider: lease.provider });
    }
    if (route === "/v1/models" && method === "GET") {
      return sendJson(res, 200, { object: "list", data: [{ id: lease.model, object: "model", created: Math.floor(lease.createdAt / 1000), owned_by: lease.provider }] });
    }
    if (route === "/v1/chat/completions" && method === "POST") {
      if (this.inFlight >= this.maxConcurrent) {
        return sendError(res, 429, "at_capacity", `the endpoint is serving ${this.maxConcurrent} requests; retry later`);
      }
      this.inFlight++;
      try {
        const body = await readJsonBody(req, this.maxBodyBytes);
        await runChat({ asm: this.asm, lease, req, res, body });
      } finally {
        this.inFlight--;
      }
      return;
    }
    return sendError(res, 405, "unsupported", `${method} is not allowed on ${route}`);
  }
}

/** Starts an endpoint server (see {@link EndpointServer}). */
export function startEndpointServer(options: EndpointServerOptions): Promise<EndpointServer> {
  return EndpointServer.start(options);
}

/** Leases an endpoint on `context.server` (see {@link EndpointServer.ensureEndpoint}). */
export function ensureEndpoint(request: EndpointRequest, manifest: ConsumerManifest, context: EnsureEndpointContext & { server: EndpointServer }): Promise<EndpointLease> {
  const { server, ...rest } = context;
  return server.ensureEndpoint(request, manifest, rest);
}

/** Releases a lease on `server` (see {@link EndpointServer.releaseEndpoint}). */
export function releaseEndpoint(server: EndpointServer, lease: string | { leaseRef: string }): Promise<void> {
  return server.releaseEndpoint(lease);
}
