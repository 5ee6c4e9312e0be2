// Decentralized NATS authentication made from scratch for a test: an operator and an account
// (nkey pairs), JWTs signed here in the NATS JWT v2 form, `.creds` files for the account's users,
// and the server config that trusts the operator and knows the account (MEMORY resolver).
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createAccount, createOperator, createUser, type KeyPair } from "@nats-io/nkeys";

/** Subject permissions of a user JWT (`nats.pub` / `nats.sub` / `nats.resp`). */
export interface UserJwtPermissions {
  pub?: { allow?: string[]; deny?: string[] };
  sub?: { allow?: string[]; deny?: string[] };
  /** Lets the user answer requests it received: at most `max` replies within `ttl` nanoseconds (0: the server's default). */
  resp?: { max: number; ttl: number };
}

/** A user of the account, with its `.creds` file. */
interface NatsUser {
  /** The `.creds` file (mode 0600). */
  readonly credsFile: string;
  readonly jwt: string;
  /** The user's nkey seed (`SU…`): the secret half of the `.creds` file. */
  readonly seed: string;
}

/** An operator with one account, from {@link createNatsTrust}. */
export interface NatsTrust {
  /** nats-server config text: `operator`, `resolver: MEMORY` and the account in `resolver_preload`. */
  readonly serverConfig: string;
  /**
   * Makes a user of the account and writes its `.creds` file into `dir`. `signer` signs the user
   * JWT instead of the account: an account key the server does not know makes a user it refuses.
   */
  user(dir: string, name: string, permissions?: UserJwtPermissions, signer?: KeyPair): NatsUser;
}

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

function base32(bytes: Uint8Array): string {
  let out = "";
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return bits > 0 ? out + BASE32[(value << (5 - bits)) & 31] : out;
}

const text = new TextEncoder();
const b64url = (data: string | Uint8Array): string => Buffer.from(data).toString("base64url");

/**
 * Signs a JWT: header `{"typ":"JWT","alg":"ed25519-nkey"}`, the registered claims, and the
 * entity's own claims under `nats` (with its `type` and `version: 2`); the signature covers
 * `header.payload`. The `jti` is the hash of the registered claims, unique per token.
 */
function signNatsJwt(issuer: KeyPair, subject: string, name: string, nats: Record<string, unknown>): string {
  const registered = { iat: Math.floor(Date.now() / 1_000), iss: issuer.getPublicKey(), name, sub: subject };
  const jti = base32(createHash("sha512-256").update(JSON.stringify(registered)).digest());
  const header = b64url(JSON.stringify({ typ: "JWT", alg: "ed25519-nkey" }));
  const payload = b64url(JSON.stringify({ jti, ...registered, nats: { ...nats, version: 2 } }));
  return `${header}.${payload}.${b64url(issuer.sign(text.encode(`${header}.${payload}`)))}`;
}

/** The standard `.creds` text: the user JWT, then the user's seed, each in its armour. */
function credsText(jwt: string, seed: string): string {
  return [
    "-----BEGIN NATS USER JWT-----",
    jwt,
    "------END NATS USER JWT------",
    "",
    "-----BEGIN USER NKEY SEED-----",
    seed,
    "------END USER NKEY SEED------",
    "",
  ].join("\n");
}

/** Writes a `.creds` file readable by its owner only. */
export function writeCredsFile(file: string, jwt: string, seed: string): string {
  writeFileSync(file, credsText(jwt, seed), { mode: 0o600 });
  return file;
}

// Unlimited connections, subscriptions, data and payload; no JetStream.
const ACCOUNT_LIMITS = { subs: -1, data: -1, payload: -1, imports: -1, exports: -1, wildcards: true, conn: -1, leaf: -1 };
const USER_LIMITS = { subs: -1, data: -1, payload: -1 };

/** A fresh operator (self-signed) with one account it signed, and nothing written yet. */
export function createNatsTrust(): NatsTrust {
  const operator = createOperator();
  const account = createAccount();
  const operatorJwt = signNatsJwt(operator, operator.getPublicKey(), "asm-test-operator", { type: "operator" });
  const accountJwt = signNatsJwt(operator, account.getPublicKey(), "ASM", { type: "account", limits: ACCOUNT_LIMITS });
  return {
    serverConfig: `operator: "${operatorJwt}"\nresolver: MEMORY\nresolver_preload: {\n  ${account.getPublicKey()}: "${accountJwt}"\n}\n`,
    user(dir, name, permissions = {}, signer = account) {
      const user = createUser();
      const jwt = signNatsJwt(signer, user.getPublicKey(), name, { type: "user", ...USER_LIMITS, ...permissions });
      const seed = new TextDecoder().decode(user.getSeed());
      return { credsFile: writeCredsFile(join(dir, `${name}.creds`), jwt, seed), jwt, seed };
    },
  };
}
