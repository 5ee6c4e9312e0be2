#!/usr/bin/env node
import { processIo } from "../io.js";
import { main } from "../main.js";

const code = await main(process.argv.slice(2), processIo());
process.exitCode = code;
// Output is flushed by now; a handle something forgot to close must not keep `asm` alive.
setTimeout(() => process.exit(code), 3_000).unref();
