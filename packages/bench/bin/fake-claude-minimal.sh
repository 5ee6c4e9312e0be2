#!/bin/sh
# The smallest fake `claude` for the benchmarks that spawn thousands of runs: it answers
# `--version`, reads the `initialize` request and the `user` line from stdin, prints
# `system/init`, one `assistant` message and a `result`, then waits for stdin to end and exits 0.
# A shell starts in about a millisecond, so the kernel's own cost is not buried under Node's
# start-up time.
case " $* " in
  *" --version "*) echo "2.1.329 (Claude Code)"; exit 0 ;;
esac
IFS= read -r _initialize
IFS= read -r _user
printf '%s\n' \
  '{"type":"system","subtype":"init","cwd":"/","session_id":"5b1f6f4e-0d7c-4c39-9a51-bench0000002","tools":["Bash"],"mcp_servers":[],"model":"claude-opus-5-5","permissionMode":"default","apiKeySource":"none","claude_code_version":"2.1.329","uuid":"00000000-0000-4000-8000-000000000001"}' \
  '{"type":"assistant","message":{"id":"msg_bench_1","type":"message","role":"assistant","model":"claude-opus-5-5","content":[{"type":"text","text":"OK"}],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":10,"output_tokens":1}},"parent_tool_use_id":null,"session_id":"5b1f6f4e-0d7c-4c39-9a51-bench0000002","uuid":"00000000-0000-4000-8000-000000000002"}' \
  '{"type":"result","subtype":"success","is_error":false,"result":"OK","num_turns":1,"duration_ms":1,"total_cost_usd":0.0001,"usage":{"input_tokens":10,"output_tokens":1},"stop_reason":"end_turn","session_id":"5b1f6f4e-0d7c-4c39-9a51-bench0000002","uuid":"00000000-0000-4000-8000-000000000003"}'
cat > /dev/null
