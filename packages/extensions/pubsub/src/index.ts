// @asm/pubsub: fan ASM events out to subscribers through a bounded broadcaster and an adapter
// (an in-process bus, Phoenix Channels, NATS).
export { DEFAULT_TOPIC_PREFIX, eventsTopic, sessionTopic, runTopic, topicsForEvent } from "./topics.js";
export type { TopicOptions, TopicScope } from "./topics.js";
export { PUBSUB_SCHEMA, payloadForEvent, isPubSubPayload } from "./payload.js";
export type { PubSubMeta, PubSubPayload } from "./payload.js";
export type { PubSubAdapter, PubSubHandler, PubSubMessage, PubSubSubscription } from "./adapter.js";
export { localBus } from "./local-bus.js";
export type { LocalBus } from "./local-bus.js";
export { messages } from "./messages.js";
export type { MessagesOptions } from "./messages.js";
export { createBroadcaster } from "./broadcaster.js";
export type { Broadcaster, BroadcasterOptions, BroadcasterStats, DispatchErrorInfo, DropInfo, OverflowPolicy, PayloadBuilder, PublishOverrides } from "./broadcaster.js";
export { broadcasterPlug } from "./plug.js";
export type { BroadcasterPlugOptions } from "./plug.js";
export { eventCallback } from "./event-callback.js";
export { PUBSUB_TELEMETRY_CHANNELS } from "./telemetry.js";
export { phoenixAdapter } from "./phoenix-adapter.js";
export type { PhoenixAdapter, PhoenixAdapterOptions, PhoenixStatus } from "./phoenix-adapter.js";
export { natsAdapter } from "./nats-adapter.js";
export type { NatsAdapter, NatsAdapterOptions, NatsConnectionLike } from "./nats-adapter.js";
export { connectUrl } from "./connect-url.js";
export type { ConnectUrlOptions, ConnectedUrl } from "./connect-url.js";
