import { defineAsmConfig } from "@asm/build-config/tsup";

export default defineAsmConfig({
  entry: { index: "src/index.ts", "conformance/index": "src/conformance/index.ts", "assertions/index": "src/assertions/index.ts", "fuzz/index": "src/fuzz/index.ts" },
  external: ["vitest", "fast-check"],
});
