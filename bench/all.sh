#!/usr/bin/env bash
# Runs every benchmark in turn; each appends its own section to bench/RESULTS.md. Long: see
# bench/README.md for the expected durations and the disk space it needs (~25 GB at peak under
# FORNAX_BENCH_DIR, else BENCH_DIR, else /tmp/fornax-bench).
#
#   bench/all.sh            everything
#   SKIP_LARGE=1 bench/all.sh   without the phi-3-mini and gemma-2b compiles (7.6 / 5 GB inputs)
#
# A failing benchmark is reported and the others still run; the exit status is 1 if any failed.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# float-engine.sh and golden.sh read BENCH_DIR: point them at the same place, so the presets are shared.
if [ -n "${FORNAX_BENCH_DIR:-}" ]; then
  export BENCH_DIR="$FORNAX_BENCH_DIR"
fi
failed=()
step() {
  echo "all.sh: === $* ===" >&2
  local t0=$SECONDS
  if "$@"; then
    echo "all.sh: $* took $((SECONDS - t0)) s" >&2
  else
    echo "all.sh: $* FAILED after $((SECONDS - t0)) s" >&2
    failed+=("$*")
  fi
}

# Engines on the CPU (scripts owned by their engines' authors).
step bench/float-engine.sh
if [ -x bench/golden.sh ]; then
  step bench/golden.sh
else
  echo "all.sh: bench/golden.sh not present; skipped" >&2
fi

# Compile: the issue's presets, dram mode.
step bench/compile.sh qwen2-0.5b
step bench/compile.sh llama-3.2-1b
if [ "${SKIP_LARGE:-0}" != 1 ]; then
  step bench/compile.sh phi-3-mini
  step bench/compile.sh gemma-2b
fi

# The core in Verilator: qwen2-0.5b at lanes 64/256/1024 (dram), stories260K at 16/64 (rom).
step bench/verilator.sh all

if [ ${#failed[@]} -gt 0 ]; then
  echo "all.sh: failed: ${failed[*]}" >&2
  exit 1
fi
echo "all.sh: done; see bench/RESULTS.md" >&2
