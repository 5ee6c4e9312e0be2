import { defineProject } from "vitest/config";

export default defineProject({
  resolve: { conditions: ["@asm/source"] },
  ssr: { resolve: { conditions: ["@asm/source"] } },
  // Each file starts its own nats-server and nodes: one file at a time keeps the loaded machine's timing sane.
  test: { name: "remote", include: ["src/**/*.test.ts"], testTimeout: 30_000, fileParallelism: false },
});
