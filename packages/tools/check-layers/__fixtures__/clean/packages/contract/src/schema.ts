// import { nope } from "not-declared";  (a comment, not an import)
import { z } from "zod";

const text = 'import x from "also-not-an-import"';
export const schema = z.string().describe(text);
