import { AsmError } from "@asm/contract";

// The phoenix client resolves a relative endpoint against the browser's `location`, which Node lacks.
export function checkEndpoint(url: unknown): string {
  if (typeof url !== "string" || !/^wss?:\/\/[^/]/.test(url)) {
    throw new AsmError("config_invalid", "the Phoenix endpoint must be an absolute ws:// or wss:// URL (e.g. ws://host:4000/socket)", { details: { key: "url" } });
  }
  return url.replace(/\/websocket\/?$/, "");
}

// The client sends the token as a subprotocol of base64 (not base64url): a token whose encoding
// holds `/` or a character btoa cannot take makes `connect()` throw.
export function checkAuthToken(token: unknown): void {
  if (typeof token !== "string" || token === "") {
    throw new AsmError("config_invalid", "authToken must be a non-empty string", { details: { key: "authToken" } });
  }
  let encoded: string;
  try {
    encoded = btoa(token);
  } catch {
    encoded = "/";
  }
  if (encoded.includes("/")) {
    throw new AsmError("config_invalid", "authToken cannot travel as a WebSocket subprotocol (its base64 form holds '/' or it is not Latin-1); pass it in params instead", {
      details: { key: "authToken" },
    });
  }
}

const checked = new WeakSet<object>();

// BigInt or circular payloads would throw inside the client, possibly from a transport callback.
export function jsonSafe(payload: object): void {
  if (checked.has(payload)) return;
  try {
    JSON.stringify(payload);
  } catch (error) {
    throw new AsmError("parse_error", "the payload cannot be encoded as JSON", { details: { adapter: "phoenix" }, cause: error });
  }
  checked.add(payload);
}
