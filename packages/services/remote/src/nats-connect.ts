import { readFileSync } from "node:fs";
import { AsmError } from "@asm/contract";
import { connect, credsAuthenticator, type NatsConnection, type NodeConnectionOptions } from "@nats-io/transport-node";

/** How to reach and authenticate to the NATS server. */
export interface NatsOptions {
  /** Server URL(s), `nats://127.0.0.1:4222`. */
  servers: string | string[];
  /** A `.creds` file (JWT + nkey seed): read at connect, never logged. */
  credsFile?: string;
  /** Token authentication. */
  token?: string;
  /** User/password authentication. */
  user?: string;
  pass?: string;
  /** TLS options, passed through to the client (`caFile`, `certFile`, `keyFile`, …). */
  tls?: NodeConnectionOptions["tls"];
  /** Connection name shown in the server's monitoring. */
  name?: string;
  /** Client ping interval (ms): how soon a frozen link is noticed. Default 5 000. */
  pingIntervalMs?: number;
  /** Unanswered pings before the link is declared stale. Default 2. */
  maxPingOut?: number;
}

/**
 * Connects, failing with `config_invalid` (key `credsFile`) when the `.creds` file cannot be
 * read or is not one, with `connection_failed` (reason `remote_connect_timeout` or
 * `remote_connect_failed`) otherwise, and never with the credentials in the message.
 */
export async function connectNats(options: NatsOptions, extra: { timeoutMs: number; inboxPrefix?: string; reconnect?: boolean }): Promise<NatsConnection> {
  const auth: Partial<NodeConnectionOptions> = {};
  if (options.credsFile !== undefined) {
    let creds: Uint8Array;
    try {
      creds = readFileSync(options.credsFile);
    } catch (error) {
      throw new AsmError("config_invalid", `cannot read the NATS credentials file ${options.credsFile}: ${(error as NodeJS.ErrnoException).code ?? "error"}`, {
        details: { key: "credsFile" },
      });
    }
    auth.authenticator = credsAuthenticator(creds);
    try {
      // Parses the JWT and decodes the seed now: a file that is not a `.creds` file is a configuration error, not a retryable connection failure.
      auth.authenticator();
    } catch {
      throw new AsmError("config_invalid", `the NATS credentials file ${options.credsFile} does not hold a user JWT and an nkey seed`, { details: { key: "credsFile" } });
    }
  }
  if (options.token !== undefined) auth.token = options.token;
  if (options.user !== undefined) auth.user = options.user;
  if (options.pass !== undefined) auth.pass = options.pass;
  try {
    return await connect({
      servers: options.servers,
      timeout: extra.timeoutMs,
      name: options.name,
      pingInterval: options.pingIntervalMs ?? 5_000,
      maxPingOut: options.maxPingOut ?? 2,
      // A client that reconnects must not keep reporting events it cannot have seen: the caller decides.
      reconnect: extra.reconnect ?? true,
      ...(extra.inboxPrefix === undefined ? {} : { inboxPrefix: extra.inboxPrefix }),
      ...(options.tls === undefined ? {} : { tls: options.tls }),
      ...auth,
    });
  } catch (error) {
    const name = (error as Error).name;
    const reason = name === "TimeoutError" ? "remote_connect_timeout" : "remote_connect_failed";
    throw new AsmError("connection_failed", `remote connect failed: ${reason}: ${(error as Error).message}`, {
      cause: error,
      details: { reason, servers: options.servers },
    });
  }
}
