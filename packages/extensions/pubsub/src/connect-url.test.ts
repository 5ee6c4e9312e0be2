import { startPhoenixServer } from "@asm/testkit";
import { describe, expect, it } from "vitest";
import { connectUrl } from "./connect-url.js";

describe("connectUrl", () => {
  it("opens Phoenix from phoenix:ws://…, topic_prefix sets the prefix and the rest become socket params", async () => {
    const server = await startPhoenixServer();
    try {
      const { adapter, prefix } = await connectUrl(`phoenix:${server.url}?topic_prefix=team&user=ci`);
      expect(adapter.name).toBe("phoenix");
      expect(prefix).toBe("team");
      const subscription = await adapter.subscribe("team:events", () => undefined);
      expect(server.upgrades[0]?.info.params).toEqual({ user: "ci" });
      await subscription.unsubscribe();
      await adapter.close();
    } finally {
      await server.stop();
    }
  });

  it.each(["http://host:1", "phoenix:http://host:1/socket", "nope", "phoenix:ws://h:1/socket?topic_prefix="])("refuses %s with config_invalid", async (url) => {
    await expect(connectUrl(url)).rejects.toMatchObject({ code: "config_invalid" });
  });
});
