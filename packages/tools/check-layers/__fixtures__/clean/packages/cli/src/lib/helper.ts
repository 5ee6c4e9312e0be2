export { alpha as helper } from "@asm/alpha";
export type { main } from "../main.js";
