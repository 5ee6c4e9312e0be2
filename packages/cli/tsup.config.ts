import { defineAsmConfig } from "@asm/build-config/tsup";

export default defineAsmConfig({
  entry: { index: "src/index.ts", "bin/asm": "src/bin/asm.ts" },
});
