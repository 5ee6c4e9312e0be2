import { fake } from "@asm/testkit";
import { kernel } from "@asm/core";

export const seen = [fake, kernel];
