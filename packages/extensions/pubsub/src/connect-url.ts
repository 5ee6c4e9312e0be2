import { AsmError } from "@asm/contract";
import type { PubSubAdapter } from "./adapter.js";
import { natsAdapter } from "./nats-adapter.js";
import { phoenixAdapter, type PhoenixStatus } from "./phoenix-adapter.js";
import { checkPrefix, DEFAULT_TOPIC_PREFIX } from "./topics.js";

/** Options of {@link connectUrl}. */
export interface ConnectUrlOptions {
  /** Phoenix bearer token or NATS token (kept off the command line: read it from the environment). */
  token?: string;
  /** Phoenix connection news. */
  onStatus?: (status: PhoenixStatus) => void;
}

/** An adapter opened from a URL, and the topic prefix the URL asked for. */
export interface ConnectedUrl {
  adapter: PubSubAdapter;
  prefix: string;
}

/**
 * Opens an adapter from a URL:
 * - `phoenix:ws://host:port/socket?topic_prefix=app&user=a`: Phoenix Channels; `topic_prefix`
 *   sets the prefix, the other query parameters become socket params;
 * - `nats://host:port?topic_prefix=app`: NATS core subjects.
 * Anything else is `config_invalid`.
 *
 * @example
 * ```ts
 * const { adapter, prefix } = await connectUrl("nats://127.0.0.1:4222");
 * ```
 */
export async function connectUrl(url: string, options: ConnectUrlOptions = {}): Promise<ConnectedUrl> {
  if (typeof url !== "string") throw new AsmError("config_invalid", "the pub/sub URL must be a string", { details: { key: "url" } });
  const phoenix = url.startsWith("phoenix:");
  let parsed: URL;
  try {
    parsed = new URL(phoenix ? url.slice("phoenix:".length) : url);
  } catch {
    throw new AsmError("config_invalid", `"${url}" is not a pub/sub URL (phoenix:ws://host:port/socket or nats://host:port)`, { details: { key: "url" } });
  }
  const prefix = checkPrefix(parsed.searchParams.get("topic_prefix") ?? DEFAULT_TOPIC_PREFIX);
  parsed.searchParams.delete("topic_prefix");
  if (phoenix && (parsed.protocol === "ws:" || parsed.protocol === "wss:")) {
    const params: Record<string, string> = {};
    for (const [key, value] of parsed.searchParams) params[key] = value;
    const endpoint = `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
    const adapter = await phoenixAdapter({
      url: endpoint,
      params,
      ...(options.token === undefined ? {} : { authToken: options.token }),
      ...(options.onStatus ? { onStatus: options.onStatus } : {}),
    });
    return { adapter, prefix };
  }
  if (!phoenix && parsed.protocol === "nats:") {
    const adapter = await natsAdapter({ servers: `nats://${parsed.host}`, ...(options.token === undefined ? {} : { token: options.token }) });
    return { adapter, prefix };
  }
  throw new AsmError("config_invalid", `unsupported pub/sub URL "${url}": use phoenix:ws://host:port/socket or nats://host:port`, { details: { key: "url" } });
}
