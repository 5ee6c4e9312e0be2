import { configError } from "@asm/contract";
import { ollamaKnobsSet } from "@asm/provider-utils";
import { CODEX_OSS_DEFAULT_MODEL } from "./models.js";

/**
 * Normalizes a base URL for Codex's OSS route so that it ends in `/v1` (Codex appends
 * `/responses`): `http://localhost:11434` and `http://localhost:11434/` become
 * `http://localhost:11434/v1`; a path such as `/ollama` becomes `/ollama/v1`; query and fragment
 * are dropped. Throws `AsmError("config_invalid")` for anything but an http(s) URL.
 */
export function normalizeOssBaseUrl(value: string, key = "ollamaBaseUrl"): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch (_error) {
    throw configError(`${key}: "${value}" is not a URL; use e.g. http://127.0.0.1:11434`, { provider: "codex", details: { key } });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw configError(`${key}: "${value}" must be an http or https URL`, { provider: "codex", details: { key } });
  }
  let path = url.pathname.replace(/\/+$/, "");
  if (!path.endsWith("/v1")) path = `${path}/v1`;
  return `${url.origin}${path}`;
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function conflict(message: string, key: string): never {
  throw configError(message, { provider: "codex", details: { key } });
}

/**
 * Codex's option normalization, run by the kernel after validation. It resolves the provider
 * backend and applies the common Ollama surface:
 *
 * - The surface is requested by `ollama: true`, `ollamaModel` or `ollamaBaseUrl`. It sets `providerBackend: "oss"`, `ossProvider: "ollama"`
 *   and the model (`ollamaModel`, else `model`, else `gpt-oss:20b`), and normalizes
 *   `ollamaBaseUrl` to end in `/v1`.
 * - `modelProvider` alone implies `providerBackend: "model_provider"`; `ossProvider` alone implies
 *   `oss`. The OSS route with Ollama defaults the model to `gpt-oss:20b`.
 * - A `CODEX_OSS_BASE_URL` in `env` is normalized like `ollamaBaseUrl` on the OSS route.
 *
 * Conflicts (another backend or OSS provider alongside the Ollama surface, `model` ≠
 * `ollamaModel`, `modelProvider` with another backend, `ollama: false` with Ollama knobs) throw
 * `AsmError("config_invalid")` naming the key.
 */
export function normalizeCodexOptions(options: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...options };
  const knobs = ollamaKnobsSet(options);
  if (options.ollama === false && knobs.length > 0) {
    conflict(`ollama is false but ${knobs.join(", ")} ${knobs.length === 1 ? "is" : "are"} set; remove them or set ollama: true`, knobs[0] ?? "ollama");
  }
  const ollama = options.ollama === true || knobs.length > 0;

  if (ollama) {
    if (present(options.providerBackend) && options.providerBackend !== "oss") {
      conflict(`providerBackend "${String(options.providerBackend)}" conflicts with the Ollama options; leave it out or set "oss"`, "providerBackend");
    }
    if (present(options.ossProvider) && options.ossProvider !== "ollama") {
      conflict(`ossProvider "${String(options.ossProvider)}" conflicts with the Ollama options; leave it out or set "ollama"`, "ossProvider");
    }
    if (present(options.modelProvider)) {
      conflict("modelProvider conflicts with the Ollama options (the OSS route picks the provider); remove it", "modelProvider");
    }
    if (present(options.model) && present(options.ollamaModel) && options.model !== options.ollamaModel) {
      conflict(`model "${String(options.model)}" and ollamaModel "${String(options.ollamaModel)}" differ; give one of them`, "ollamaModel");
    }
    out.providerBackend = "oss";
    out.ossProvider = "ollama";
    out.model = options.ollamaModel ?? options.model ?? CODEX_OSS_DEFAULT_MODEL;
    if (typeof options.ollamaBaseUrl === "string") out.ollamaBaseUrl = normalizeOssBaseUrl(options.ollamaBaseUrl);
  } else {
    let backend = options.providerBackend;
    if (present(options.modelProvider)) {
      if (present(backend) && backend !== "model_provider") {
        conflict(`modelProvider needs providerBackend "model_provider", not "${String(backend)}"`, "modelProvider");
      }
      backend = "model_provider";
    }
    if (present(options.ossProvider)) {
      if (present(backend) && backend !== "oss") {
        conflict(`ossProvider needs providerBackend "oss", not "${String(backend)}"`, "ossProvider");
      }
      backend = "oss";
    }
    if (present(backend)) out.providerBackend = backend;
    if (backend === "oss") {
      out.ossProvider = options.ossProvider ?? "ollama";
      if (out.ossProvider === "ollama" && !present(options.model)) out.model = CODEX_OSS_DEFAULT_MODEL;
    }
  }

  const env = options.env;
  if (out.providerBackend === "oss" && typeof env === "object" && env !== null) {
    const baseUrl = (env as Record<string, unknown>).CODEX_OSS_BASE_URL;
    if (typeof baseUrl === "string" && baseUrl.trim() !== "") {
      out.env = { ...(env as Record<string, unknown>), CODEX_OSS_BASE_URL: normalizeOssBaseUrl(baseUrl, "env.CODEX_OSS_BASE_URL") };
    }
  }
  return out;
}
