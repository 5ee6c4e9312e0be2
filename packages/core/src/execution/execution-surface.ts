import { z } from "zod";
import { AsmError, type ExecutionSurface } from "@asm/contract";

const sshOptionsSchema = z.strictObject({
  destination: z.string().min(1),
  user: z.string().min(1).optional(),
  port: z.number().int().min(1).max(65535).optional(),
  identityFile: z.string().min(1).optional(),
  options: z.record(z.string(), z.string()).optional(),
  batchMode: z.boolean().optional(),
  connectTimeoutSeconds: z.number().int().positive().optional(),
  sshPath: z.string().min(1).optional(),
});

const surfaceInputSchema = z.strictObject({
  kind: z.enum(["local", "local_subprocess", "ssh_exec", "guest_bridge"]).optional(),
  transportOptions: z.record(z.string(), z.unknown()).optional(),
  targetId: z.string().optional(),
  leaseRef: z.string().optional(),
  surfaceRef: z.string().optional(),
  boundaryClass: z.string().optional(),
  observability: z.record(z.string(), z.unknown()).optional(),
});

type SurfaceInput = z.infer<typeof surfaceInputSchema>;

/** The surface used when none is configured: a local subprocess. */
const LOCAL_SURFACE: ExecutionSurface = { kind: "local", transportOptions: {}, observability: {} };

function parseSurface(value: unknown, layer: string): SurfaceInput {
  const parsed = surfaceInputSchema.safeParse(value);
  if (!parsed.success) {
    throw new AsmError("config_invalid", `executionSurface is invalid (${layer}): ${z.prettifyError(parsed.error)}`, {
      details: { key: "executionSurface" },
    });
  }
  return parsed.data;
}

/**
 * Merges surface layers lowest first: scalar keys of a later layer win, `transportOptions` and
 * `observability` are merged key by key. Validates the result (an `ssh_exec` surface needs a
 * destination).
 */
export function mergeSurfaces(layers: Array<{ value: unknown; layer: string }>): ExecutionSurface {
  let merged: ExecutionSurface = { ...LOCAL_SURFACE, transportOptions: {}, observability: {} };
  for (const { value, layer } of layers) {
    if (value === undefined) continue;
    const input = parseSurface(value, layer);
    const kind = input.kind === "local_subprocess" ? "local" : input.kind;
    merged = {
      ...merged,
      ...(kind ? { kind } : {}),
      ...(input.targetId === undefined ? {} : { targetId: input.targetId }),
      ...(input.leaseRef === undefined ? {} : { leaseRef: input.leaseRef }),
      ...(input.surfaceRef === undefined ? {} : { surfaceRef: input.surfaceRef }),
      ...(input.boundaryClass === undefined ? {} : { boundaryClass: input.boundaryClass }),
      transportOptions: { ...merged.transportOptions, ...input.transportOptions },
      observability: { ...merged.observability, ...input.observability },
    };
  }
  if (merged.kind === "ssh_exec") {
    const ssh = sshOptionsSchema.safeParse(merged.transportOptions);
    if (!ssh.success) {
      throw new AsmError("config_invalid", `executionSurface is invalid: ssh_exec transportOptions: ${z.prettifyError(ssh.error)}`, {
        details: { key: "executionSurface.transportOptions" },
      });
    }
  }
  return merged;
}

/**
 * Refuses a surface no driver serves, at validation rather than when the run starts. The default
 * core lane drives `local` and `ssh_exec`, plus the kinds of any `coreLane.surfaces` given to
 * `createAsm`; `guest_bridge` has no built-in driver. `driven` null means the backend is the
 * host's own (a `coreBackend` factory, a `backend` override, a remote node) and decides itself.
 */
export function assertSurfaceDriven(surface: ExecutionSurface, driven: ReadonlySet<string> | null): void {
  if (driven === null || driven.has(surface.kind)) return;
  throw new AsmError(
    "unsupported",
    `executionSurface.kind ${surface.kind} has no driver in this runtime (built in: local, ssh_exec); pass a surface driver in config.coreLane.surfaces`,
    { details: { key: "executionSurface.kind", kind: surface.kind } },
  );
}
