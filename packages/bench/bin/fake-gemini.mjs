#!/usr/bin/env node
// The benchmarks' fake `gemini --output-format stream-json` (see fake-replay.mjs).
import { replay } from "./fake-replay.mjs";

replay("0.61.0");
