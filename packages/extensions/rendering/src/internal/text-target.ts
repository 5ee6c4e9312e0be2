import { open, type FileHandle } from "node:fs/promises";
import type { Writable } from "node:stream";
import { AsmError } from "@asm/contract";
import { writeChunk } from "./stream-writer.js";

/** A file the sink owns (`path`) or a stream it only writes to. */
export type TargetOptions = {
  /** Append instead of truncating (default false). Only with `path`. */
  append?: boolean;
} & ({ path: string; stream?: never } | { stream: Writable; path?: never });

/** Where a file-like sink writes. */
export interface TextTarget {
  open(): Promise<void>;
  write(text: string): Promise<void>;
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** Opens (lazily) and writes a path, or writes a caller-owned stream without ever closing it. */
export function textTarget(options: TargetOptions, sink: string): TextTarget {
  if (options.stream !== undefined) {
    const stream = options.stream;
    return {
      async open() {},
      write: (text) => writeChunk(stream, text),
      async flush() {},
      async close() {},
    };
  }
  if (typeof options.path !== "string" || options.path === "") {
    throw new AsmError("config_invalid", `${sink} sink needs a path or a stream`, { details: { sink } });
  }
  const path = options.path;
  let handle: FileHandle | null = null;
  return {
    async open() {
      try {
        handle = await open(path, options.append ? "a" : "w");
      } catch (error) {
        throw new AsmError("config_invalid", `cannot open ${path}: ${(error as Error).message}`, { cause: error, details: { sink, path } });
      }
    },
    async write(text) {
      if (handle === null) throw new AsmError("runtime", `${sink} sink: ${path} is not open`, { details: { sink, path } });
      await handle.write(text);
    },
    async flush() {
      await handle?.datasync();
    },
    async close() {
      const current = handle;
      handle = null;
      await current?.close();
    },
  };
}
