import { local } from "./local.js";
import { id } from "../../../contract/src/index.js";

export const alpha = [local, id];
