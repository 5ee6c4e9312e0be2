// Remote nodes over NATS: a node daemon that runs CLIs for clients elsewhere, and the client side
// that plugs into the kernel as `config.remoteBackend` for `executionMode: "remote_node"` runs.
/** The node daemon (`asm node`). */
export { startRemoteNode } from "./remote-node.js";
export type { RemoteNode, RemoteNodeOptions } from "./remote-node.js";
/** The client side: the kernel's remote backend and node listing (`asm nodes`). */
export { createRemoteClient } from "./remote-client.js";
export type { RemoteClient, RemoteClientOptions } from "./remote-client.js";
export type { RemoteRunSettings } from "./remote-settings.js";
/** Reading a durable run back from its node's JetStream log (a second observer, `asm history --nats`). */
export { readDurableRun } from "./durable-reader.js";
export type { DurableRunRecord, ReadDurableRunOptions } from "./durable-reader.js";
export type { NatsOptions } from "./nats-connect.js";
/** What a node announces about itself. */
export type { NodeAnnouncement } from "./protocol.js";
