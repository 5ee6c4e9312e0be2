/**
 * The version of the provider contract: the shape of `ProviderDefinition`, `ProviderProfile`,
 * `ProviderBackend` and `SdkLaneDefinition`. Every implementation states the version it was
 * written against, and the kernel refuses one it does not speak, naming it, instead of calling a
 * function whose arguments changed meaning. A breaking change to these interfaces adds `"v2"`.
 */
export type SpecificationVersion = "v1";

/** The contract version this package defines. */
export const SPECIFICATION_VERSION: SpecificationVersion = "v1";

/** The versions the kernel of this release accepts. */
export const SUPPORTED_SPECIFICATION_VERSIONS: readonly SpecificationVersion[] = ["v1"];
