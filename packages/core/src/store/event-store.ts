// The interface is the contract's, so stores and the testkit's conformance suite need no kernel.
export type { EventStore } from "@asm/contract";
