import { defineProject } from "vitest/config";

export default defineProject({
  resolve: { conditions: ["@asm/source"] },
  ssr: { resolve: { conditions: ["@asm/source"] } },
  test: {
    name: "core",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Type tests: `*.test-d.ts` files are checked by tsc (a misspelt option must not compile).
    typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.typecheck.json" },
  },
});
