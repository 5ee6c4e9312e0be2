/**
 * The parts of `@agentclientprotocol/sdk` (2.x, stable v1 entry) the lane touches, written
 * structurally so that no vendor type reaches a declaration file of ours.
 */

/** What a client-side handler receives. */
export interface AcpHandlerContext {
  params: unknown;
  signal: AbortSignal;
}

/** Agent-side methods as the client calls them. */
export interface AcpAgentContext {
  request(method: string, params?: unknown): Promise<unknown>;
  notify(method: string, params?: unknown): Promise<void>;
}

/** An open client connection. */
export interface AcpClientConnection {
  readonly agent: AcpAgentContext;
  readonly closed: Promise<void>;
  close(error?: unknown): void;
}

/** The client application builder. */
export interface AcpClientApp {
  onRequest(method: string, handler: (context: AcpHandlerContext) => unknown): AcpClientApp;
  onNotification(method: string, handler: (context: AcpHandlerContext) => unknown): AcpClientApp;
  connect(stream: unknown): AcpClientConnection;
}

/** The ACP SDK module, as far as the lane needs it. */
export interface AcpSdkModule {
  client(options?: { name?: string }): AcpClientApp;
  ndJsonStream(output: WritableStream<Uint8Array>, input: ReadableStream<Uint8Array>): unknown;
  PROTOCOL_VERSION: number;
}
