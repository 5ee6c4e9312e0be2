import { alpha } from "@asm/alpha";
import { run } from "@asm/core";
import { loadVendor } from "@asm/sdk-alpha";
import { execa } from "execa";
import { helper } from "./lib/helper.js";

export const main = [alpha, run, loadVendor, execa, helper];
