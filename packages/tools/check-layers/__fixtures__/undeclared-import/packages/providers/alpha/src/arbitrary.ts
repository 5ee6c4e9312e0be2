import fc from "fast-check";

export const anyId = fc.string();
