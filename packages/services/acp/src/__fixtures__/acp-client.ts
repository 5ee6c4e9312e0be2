import { PassThrough, Readable, Writable } from "node:stream";
import { client, methods, ndJsonStream, type ClientConnection, type RequestPermissionRequest, type SessionNotification } from "@agentclientprotocol/sdk";

/** A byte pipe pair: what the agent writes the client reads, and back. */
export function stdioPair() {
  const toAgent = new PassThrough();
  const toClient = new PassThrough();
  return { agentInput: toAgent, agentOutput: toClient, clientInput: toClient, clientOutput: toAgent };
}

/**
 * The real ACP SDK client over a byte stream pair: it records every `session/update` and answers
 * every permission request with `answer` (recorded too).
 */
export function acpClient(input: NodeJS.ReadableStream, output: NodeJS.WritableStream, answer: (request: RequestPermissionRequest) => string | null = () => "allow") {
  const updates: SessionNotification[] = [];
  const permissions: RequestPermissionRequest[] = [];
  const app = client({ name: "test-editor" })
    .onNotification(methods.client.session.update, ({ params }) => {
      updates.push(params);
    })
    .onRequest(methods.client.session.requestPermission, ({ params }) => {
      permissions.push(params);
      const optionId = answer(params);
      return { outcome: optionId === null ? { outcome: "cancelled" as const } : { outcome: "selected" as const, optionId } };
    });
  const connection: ClientConnection = app.connect(
    ndJsonStream(Writable.toWeb(output as Writable) as WritableStream<Uint8Array>, Readable.toWeb(input as Readable) as ReadableStream<Uint8Array>),
  );
  return { connection, agent: connection.agent, updates, permissions };
}
