import { describe, expect, it } from "vitest";
import { applyPlaceholders, claudeProjectSlug } from "../src/transcript-placeholders.js";

describe("transcript placeholders", () => {
  it("derives Claude's project slug from a working directory", () => {
    expect(claudeProjectSlug("/tmp/asm-rec-claude-Ab3x_y/work")).toBe("-tmp-asm-rec-claude-Ab3x-y-work");
  });

  it("replaces nested paths by their own placeholder, longest first", () => {
    const text = '{"cwd":"/tmp/r/work","memory":"/tmp/r/home/.claude/projects/-tmp-r-work/memory/","sock":"/tmp/r/tmp/cc-socks/1.sock"}';
    expect(
      applyPlaceholders(text, [
        { path: "/tmp/r/home", placeholder: "<HOME>" },
        { path: "/tmp/r/work", placeholder: "<WORKDIR>" },
        { path: claudeProjectSlug("/tmp/r/work"), placeholder: "<WORKDIR_SLUG>" },
        { path: "/tmp/r/tmp", placeholder: "<TMPDIR>" },
        { path: "", placeholder: "<IGNORED>" },
      ]),
    ).toBe('{"cwd":"<WORKDIR>","memory":"<HOME>/.claude/projects/<WORKDIR_SLUG>/memory/","sock":"<TMPDIR>/cc-socks/1.sock"}');
  });
});
