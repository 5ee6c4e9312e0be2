/** Lines that are not JSON: each must give a non-terminal `parse_error`, never an exception. */
export const NON_JSON_LINES: readonly string[] = [
  "this is not json",
  "{",
  '{"type":',
  "]",
  "\u0000\u0001\u0002 binary noise \uFFFD",
  "<html><body>502 Bad Gateway</body></html>",
  "NaN",
  "undefined",
  "Error: something went wrong\n    at somewhere (file.js:1:1)".split("\n")[1] ?? "",
  `{"unterminated": "${"x".repeat(5000)}`,
];

/** JSON lines of no known shape: they must never throw nor settle the run. */
export const ODD_JSON_LINES: readonly string[] = [
  "{}",
  "[]",
  "null",
  "42",
  '"a string"',
  "true",
  '{"type":"no_such_event_type_for_conformance"}',
  '{"type":null,"subtype":42}',
  '{"type":["array"]}',
  '{"__proto__":{"polluted":true}}',
];
