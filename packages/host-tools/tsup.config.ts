import { defineAsmConfig } from "@asm/build-config/tsup";

export default defineAsmConfig();
