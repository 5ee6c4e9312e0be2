import { AsmError, SUPPORTED_SPECIFICATION_VERSIONS } from "@asm/contract";

/**
 * Refuses a provider, profile, backend or SDK lane written against a contract version this kernel
 * does not speak (or against none), naming it: calling functions whose arguments changed meaning
 * would fail later and less clearly.
 */
export function assertSpecificationVersion(what: string, name: string, value: unknown): void {
  const version = typeof value === "object" && value !== null ? (value as { specificationVersion?: unknown }).specificationVersion : undefined;
  if (typeof version === "string" && (SUPPORTED_SPECIFICATION_VERSIONS as readonly string[]).includes(version)) return;
  throw new AsmError(
    "unsupported",
    `${what} ${name} implements contract specification ${version === undefined ? "(none)" : JSON.stringify(version)}; this kernel speaks ${SUPPORTED_SPECIFICATION_VERSIONS.join(", ")}`,
    { details: { key: "specificationVersion", what, name, specificationVersion: version ?? null } },
  );
}
