import { z } from "zod";
import {
  APPROVAL_POSTURES,
  AsmError,
  PERMISSION_MODES,
  POSTURE_PERMISSION_MODE,
  type ExecutionEnvironment,
} from "@asm/contract";

const environmentLayerSchema = z.strictObject({
  workspaceRoot: z.string().trim().min(1, "workspaceRoot must be a non-empty path").optional(),
  // Tool names only: the guard compares them with each tool_use's name. A provider's own
  // permission rules (`Bash(git *)`) would match no name and block the tool altogether.
  allowedTools: z
    .array(
      z
        .string()
        .trim()
        .min(1, "allowedTools entries must be non-empty")
        .refine((entry) => !/[()]/.test(entry), {
          message:
            "allowedTools lists tool names (Read, Bash); a permission rule such as Bash(git *) belongs in the provider's own option (Claude: allowRules)",
        }),
    )
    .optional(),
  approvalPosture: z.enum(APPROVAL_POSTURES).optional(),
  permissionMode: z.enum(PERMISSION_MODES).optional(),
});

type EnvironmentLayer = z.infer<typeof environmentLayerSchema>;

/** Reads one layer: the nested `executionEnvironment` object, overridden by top-level keys. */
export function readEnvironmentLayer(execution: Record<string, unknown>, layer: string): EnvironmentLayer {
  const nested = execution.executionEnvironment ?? {};
  if (typeof nested !== "object" || nested === null || Array.isArray(nested)) {
    throw new AsmError("config_invalid", `executionEnvironment must be an object (${layer})`, { details: { key: "executionEnvironment" } });
  }
  const merged: Record<string, unknown> = { ...nested };
  for (const key of ["workspaceRoot", "allowedTools", "approvalPosture", "permissionMode"] as const) {
    if (execution[key] !== undefined) merged[key] = execution[key];
  }
  const parsed = environmentLayerSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue?.code === "unrecognized_keys" ? issue.keys.join(", ") : (issue?.path.join(".") ?? "");
    throw new AsmError("config_invalid", `invalid execution environment (${layer}) at "${key}": ${issue?.message ?? "invalid"}`, {
      cause: parsed.error,
      details: { key },
    });
  }
  const data = parsed.data;
  // A posture stands for a permission mode unless the same layer names one explicitly.
  if (data.approvalPosture && !data.permissionMode) {
    data.permissionMode = POSTURE_PERMISSION_MODE[data.approvalPosture];
  }
  if (data.allowedTools) data.allowedTools = [...new Set(data.allowedTools)];
  return data;
}

/** Merges environment layers lowest first; a later layer wins for each key it sets. */
export function mergeEnvironments(layers: EnvironmentLayer[]): ExecutionEnvironment {
  const out: ExecutionEnvironment = { allowedTools: [] };
  for (const layer of layers) {
    if (layer.workspaceRoot !== undefined) out.workspaceRoot = layer.workspaceRoot;
    if (layer.allowedTools !== undefined) out.allowedTools = layer.allowedTools;
    if (layer.approvalPosture !== undefined) out.approvalPosture = layer.approvalPosture;
    if (layer.permissionMode !== undefined) out.permissionMode = layer.permissionMode;
  }
  return out;
}
