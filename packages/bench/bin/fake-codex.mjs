#!/usr/bin/env node
// The benchmarks' fake `codex exec --json` (see fake-replay.mjs).
import { replay } from "./fake-replay.mjs";

replay("codex-cli 0.171.0");
