import type { FieldCoverage } from "@asm/testkit";

// What `createClaudeParser` does with every event type and field Claude Code prints in the recorded
// transcripts: `mapped` fields feed a contract event, `ignored` ones are left alone on purpose
// (passed through in `raw` or dropped). `parser.coverage.test.ts` fails on any field of a recorded
// transcript that is in neither list, so new output of a new CLI version cannot hide behind `raw`.
// `x.*` covers a subtree whose keys are data (model names, a tool's own input) or that is handed
// on whole (the initialize response, tool results).

/** Event key of one stream-json line: `type`, with the subtype that picks the handler. */
function claudeEventKey(line: Record<string, unknown>): string {
  const type = String(line["type"]);
  const sub = (value: unknown, field: string): string => String(typeof value === "object" && value !== null ? (value as Record<string, unknown>)[field] : undefined);
  switch (type) {
    case "system":
      return `system/${String(line["subtype"])}`;
    case "stream_event":
      return `stream_event/${sub(line["event"], "type")}`;
    case "control_request":
      return `control_request/${sub(line["request"], "subtype")}`;
    case "control_response":
      return `control_response/${sub(line["response"], "subtype")}`;
    default:
      return type;
  }
}

/** The Claude Code parser's field coverage, checked against every recorded transcript. */
export const claudeFieldCoverage: FieldCoverage = {
  eventKey: claudeEventKey,
  mapped: {
    "assistant": ["aborted", "api_error_status", "error", "is_api_error_message", "message.content[text].text", "message.content[text].type", "message.content[thinking].signature", "message.content[thinking].thinking", "message.content[thinking].type", "message.content[tool_use].id", "message.content[tool_use].input.*", "message.content[tool_use].name", "message.content[tool_use].type", "message.id", "message.model", "parent_tool_use_id", "session_id", "type"],
    "control_cancel_request": ["request_id", "type"],
    "control_request/can_use_tool": ["request.blocked_path", "request.description", "request.display_name", "request.input.*", "request.permission_suggestions.*", "request.subtype", "request.tool_name", "request.tool_use_id", "request_id", "type"],
    "control_request/hook_callback": ["request.subtype", "request_id", "type"],
    "control_request/mcp_message": ["request.message.*", "request.server_name", "request.subtype", "request_id", "type"],
    "control_response/error": ["response.error", "response.error_code", "response.request_id", "response.subtype", "type"],
    "control_response/success": ["response.subtype", "type"],
    "result": ["api_error_status", "api_error_type", "duration_api_ms", "duration_ms", "errors[]", "is_error", "modelUsage.*", "model_usage_since_last_result.*", "num_turns", "permission_denials.*", "result", "session_id", "stop_reason", "structured_output.*", "subtype", "terminal_reason", "total_cost_usd", "type", "usage.cache_creation_input_tokens", "usage.cache_read_input_tokens", "usage.input_tokens", "usage.output_tokens"],
    "stream_event/content_block_delta": ["event.delta.text", "event.delta.type", "event.index", "event.type", "parent_tool_use_id", "session_id", "type"],
    "stream_event/content_block_start": ["event.type", "session_id", "type"],
    "stream_event/content_block_stop": ["event.type", "session_id", "type"],
    "stream_event/message_delta": ["event.type", "session_id", "type"],
    "stream_event/message_start": ["event.message.id", "event.type", "parent_tool_use_id", "session_id", "type"],
    "stream_event/message_stop": ["event.type", "session_id", "type"],
    "system/api_retry": ["attempt", "error", "error_status", "max_retries", "retry_delay_ms", "session_id", "subtype", "type"],
    "system/background_tasks_changed": ["session_id", "subtype", "type"],
    "system/init": ["apiKeySource", "claude_code_version", "cwd", "mcp_servers.*", "model", "permissionMode", "sandbox_enabled", "session_id", "subtype", "tools[]", "type"],
    "system/permission_denied": ["message", "session_id", "subtype", "tool_name", "tool_use_id", "type"],
    "system/session_state_changed": ["session_id", "subtype", "type"],
    "system/status": ["session_id", "subtype", "type"],
    "system/thinking_tokens": ["session_id", "subtype", "type"],
    "user": ["isReplay", "message.content", "message.content[text].text", "message.content[text].type", "message.content[tool_result].content", "message.content[tool_result].is_error", "message.content[tool_result].tool_use_id", "message.content[tool_result].type", "parent_tool_use_id", "session_id", "tool_result_meta[].id", "tool_result_meta[].permission_decision.*", "tool_use_result.*", "type"],
  },
  // `result.begun_message_ids[]` (2.1.332) lists the assistant message ids the turn began; the
  // parser already follows every message by the id on its `message_start` and `assistant` lines.
  ignored: {
    "assistant": ["api_error_type", "message.container", "message.context_management", "message.diagnostics", "message.role", "message.stop_details", "message.stop_reason", "message.stop_sequence", "message.type", "message.usage.cache_creation.ephemeral_1h_input_tokens", "message.usage.cache_creation.ephemeral_5m_input_tokens", "message.usage.cache_creation_input_tokens", "message.usage.cache_read_input_tokens", "message.usage.fallback_credit", "message.usage.inference_geo", "message.usage.input_tokens", "message.usage.iterations", "message.usage.output_tokens", "message.usage.output_tokens_details", "message.usage.server_tool_use.web_fetch_requests", "message.usage.server_tool_use.web_search_requests", "message.usage.service_tier", "message.usage.speed", "request_id", "thinking_display", "thinking_duration_ms", "timestamp", "uuid"],
    "control_cancel_request": [],
    "control_request/can_use_tool": [],
    "control_request/hook_callback": ["request.callback_id", "request.input.*", "request.tool_use_id"],
    "control_request/mcp_message": [],
    "control_response/error": [],
    "control_response/success": ["response.pending_permission_requests", "response.pending_user_dialog_requests", "response.request_id", "response.response.*"],
    "result": ["begun_message_ids[]", "fast_mode_disabled_reason", "fast_mode_state", "first_content_frame_ms", "queued_turn_count", "result_index", "safety_stops", "subagent_stats.*", "time_to_request_ms", "ttft_ms", "ttft_stream_ms", "usage.cache_creation.ephemeral_1h_input_tokens", "usage.cache_creation.ephemeral_5m_input_tokens", "usage.fallback_credit", "usage.inference_geo", "usage.iterations.*", "usage.output_tokens_details.thinking_tokens", "usage.server_tool_use.web_fetch_requests", "usage.server_tool_use.web_search_requests", "usage.service_tier", "usage.speed", "uuid"],
    "stream_event/content_block_delta": ["api_message_id", "event.delta.signature", "event.delta.thinking", "thinking_display", "uuid"],
    "stream_event/content_block_start": ["api_message_id", "event.content_block.signature", "event.content_block.text", "event.content_block.thinking", "event.content_block.type", "event.index", "parent_tool_use_id", "thinking_display", "uuid"],
    "stream_event/content_block_stop": ["api_message_id", "event.index", "parent_tool_use_id", "uuid"],
    "stream_event/message_delta": ["api_message_id", "event.context_management", "event.delta.container", "event.delta.stop_details", "event.delta.stop_reason", "event.delta.stop_sequence", "event.usage.cache_creation_input_tokens", "event.usage.cache_read_input_tokens", "event.usage.fallback_credit", "event.usage.input_tokens", "event.usage.iterations.*", "event.usage.output_tokens", "event.usage.output_tokens_details.thinking_tokens", "event.usage.server_tool_use.web_fetch_requests", "event.usage.server_tool_use.web_search_requests", "parent_tool_use_id", "uuid"],
    "stream_event/message_start": ["api_message_id", "event.message.content", "event.message.model", "event.message.role", "event.message.stop_reason", "event.message.stop_sequence", "event.message.type", "event.message.usage.cache_creation_input_tokens", "event.message.usage.cache_read_input_tokens", "event.message.usage.input_tokens", "event.message.usage.output_tokens", "thinking_display", "ttft_ms", "uuid"],
    "stream_event/message_stop": ["abandoned_blocks.api_message_id", "abandoned_blocks.from_block_index", "api_message_id", "parent_tool_use_id", "uuid"],
    "system/api_retry": ["uuid"],
    "system/background_tasks_changed": ["tasks.*", "uuid"],
    "system/init": ["additional_directories[]", "agents[]", "analytics_disabled", "capabilities[]", "fast_mode_disabled_reason", "fast_mode_state", "memory_paths.auto", "messaging_socket_path", "original_cwd", "output_style", "per_turn_effort_active", "plugins.*", "product_feedback_disabled", "served_by_anthropic", "skills[]", "slash_commands[]", "terminal_slash_commands[]", "ultrathink_available", "ultrathink_typed_raises", "uuid", "view_mode"],
    "system/permission_denied": ["uuid"],
    "system/session_state_changed": ["sdk_host_only", "state", "uuid"],
    "system/status": ["permissionMode", "status", "uuid"],
    "system/thinking_tokens": ["estimated_tokens", "estimated_tokens_delta", "uuid"],
    "user": ["message.role", "timestamp", "tool_result_meta[].non_execution_kind", "uuid"],
  },
};
