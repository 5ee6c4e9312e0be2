import { fakeBackend } from "@asm/testkit";

console.log(fakeBackend);
