import type { BackendManifest, Publication } from "../contracts.js";
import type { ConversationTable } from "./conversations.js";

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
  /** Conversation id → the session that continues it (bounded: count and idle time). */
  conversations: ConversationTable;
  createdAt: number;
}
