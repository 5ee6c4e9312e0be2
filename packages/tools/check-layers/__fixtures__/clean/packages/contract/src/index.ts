import { readFileSync } from "node:fs";
import path from "path";
import { z } from "zod";

export * from "./schema.js";
export const read = (p: string) => readFileSync(path.join(p), "utf8") + String(z);
