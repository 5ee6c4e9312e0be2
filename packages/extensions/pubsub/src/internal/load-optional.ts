import { AsmError } from "@asm/contract";

// The transports are optional peers: load one only when its adapter is asked for, and say what
// to install when it is missing.
export async function loadOptional<T>(name: string, adapter: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    throw new AsmError("config_invalid", `the ${adapter} adapter needs the optional package "${name}"; install it next to @asm/pubsub`, {
      details: { adapter, package: name },
      cause: error,
    });
  }
}
