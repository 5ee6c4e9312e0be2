import type { Session } from "@asm/core";
import type { BackendManifest, Publication } from "../contracts.js";

/** One leased endpoint, as the server keeps it. */
export interface Lease {
  ref: string;
  endpointId: string;
  token: string;
  provider: string;
  model: string;
  publication: Publication;
  backendManifest: BackendManifest;
  /** Session defaults of every run (cwd, cliPath, permission mode, …). */
  sessionOptions: Record<string, unknown>;
  /** Conversation id → the session that continues it. */
  conversations: Map<string, Promise<Session>>;
  createdAt: number;
}
