// Lint rules shared by every package; each package runs `eslint .` from its own folder. TypeScript
// is linted with type information (each package's tsconfig.json covers all its TypeScript: src,
// tests, scripts, config files), so floating promises and non-exhaustive switches are errors.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const DEEP_IMPORT_MESSAGE =
  "Import an @asm package by its name only: its src/index.ts is its public surface, and a path into src/ or dist/ couples you to files it may move or keep private.";
const INTERNAL_IMPORT_MESSAGE =
  "An @asm package's internal/ folder is never exported (\"./internal/*\": null): use what its index exports, or export what you need from it by name.";

export default tseslint.config(
  { ignores: ["**/dist/**", "**/node_modules/**", "**/.turbo/**", "**/coverage/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { process: "readonly", console: "readonly", setTimeout: "readonly", clearTimeout: "readonly", setInterval: "readonly", clearInterval: "readonly", Buffer: "readonly", URL: "readonly", AbortController: "readonly", AbortSignal: "readonly", TextDecoder: "readonly", TextEncoder: "readonly", setImmediate: "readonly", queueMicrotask: "readonly", structuredClone: "readonly", performance: "readonly", fetch: "readonly" },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/switch-exhaustiveness-check": ["error", { considerDefaultExhaustiveForUnions: true }],
      "no-restricted-syntax": ["error", { selector: "ThrowStatement > Literal", message: "Throw an AsmError, never a string." }],
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@asm/*/src", "@asm/*/src/**", "@asm/*/dist", "@asm/*/dist/**"], message: DEEP_IMPORT_MESSAGE },
            { group: ["@asm/*/internal", "@asm/*/internal/**"], message: INTERNAL_IMPORT_MESSAGE },
          ],
        },
      ],
    },
  },
  {
    // Vitest types its asymmetric matchers (expect.stringContaining, expect.any, expect.arrayContaining)
    // as `any`, so every `toMatchObject({ message: expect.stringContaining("…") })` would be an
    // "unsafe assignment". Tests keep every other no-unsafe-* rule.
    files: ["**/*.test.ts", "**/*.test-d.ts"],
    rules: { "@typescript-eslint/no-unsafe-assignment": "off" },
  },
  {
    // Plain JavaScript (the layer checker, the build config, scripts) has no type information.
    files: ["**/*.{js,mjs,cjs}"],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // The layer checker's fixtures are miniature workspaces with no tsconfig of their own, and
    // they import packages that exist only in the fixture (that is what they test), so they are
    // linted without type information.
    files: ["packages/tools/check-layers/__fixtures__/**", "packages/tools/build-config/**"],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // The layer checker must see `require()` calls, so one fixture is CommonJS on purpose.
    files: ["packages/tools/check-layers/__fixtures__/**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { require: "readonly", module: "writable" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
