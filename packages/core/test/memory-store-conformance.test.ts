import { describeEventStoreConformance } from "@asm/testkit/conformance";
import { MemoryStore } from "../src/index.js";

// The kernel's own store passes the same suite every durable store must pass.
describeEventStoreConformance("MemoryStore", { create: () => new MemoryStore() });
