import type { Options } from "tsup";
/** Builds the tsup configuration shared by all `@asm/*` packages. */
export declare function defineAsmConfig(overrides?: Options): Options;
