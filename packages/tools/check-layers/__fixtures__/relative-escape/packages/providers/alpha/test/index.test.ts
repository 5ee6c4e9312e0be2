import { alpha } from "../src/index.js";

export const seen = alpha;
