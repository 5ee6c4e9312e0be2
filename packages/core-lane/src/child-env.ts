import { SECRET_ENV_VARS } from "@asm/provider-utils";

const SECRET = new Set<string>(SECRET_ENV_VARS);

/**
 * The part of the host's environment a CLI inherits: everything except the credentials of other
 * vendors. A known API key variable ({@link SECRET_ENV_VARS}) passes only when the profile lists it
 * in `credentialEnv`; the caller's explicit `env` is merged on top afterwards and always wins, so
 * a key can still be handed to any CLI on purpose.
 */
export function inheritedEnv(
  hostEnv: Readonly<Record<string, string | undefined>>,
  credentialEnv: readonly string[] = [],
): Record<string, string | undefined> {
  const allowed = new Set(credentialEnv);
  const env: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(hostEnv)) {
    if (SECRET.has(key) && !allowed.has(key)) continue;
    env[key] = value;
  }
  return env;
}
