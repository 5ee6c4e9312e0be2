// The Codex app-server lane: `codex app-server` over JSON-RPC stdio, with approvals and graceful
// turn interrupts. It needs no npm package beyond the codex CLI itself.
/** The lane for `createAsm({ lanes })`. */
export { codexAppServerLane, CODEX_APP_SERVER_CAPABILITIES, CODEX_APP_SERVER_FEATURES } from "./lane.js";
