# Shared helpers for the bench scripts (sourced, not run). Plain bash; needs /usr/bin/time (Debian
# package 'time') and jq. Scripts append Markdown sections to bench/RESULTS.md.

bench_init() {
  bench_name="$1"
  here="$(cd "$(dirname "${BASH_SOURCE[1]}")/.." && pwd)"
  cd "$here"
  results="$here/bench/RESULTS.md"
  # FORNAX_BENCH_DIR, else BENCH_DIR (float-engine.sh's name), else /tmp: outside the repo.
  bench_dir="${FORNAX_BENCH_DIR:-${BENCH_DIR:-/tmp/fornax-bench}}"
  mkdir -p "$bench_dir"
  local tool
  for tool in /usr/bin/time jq; do
    if ! command -v "$tool" >/dev/null; then
      echo "$bench_name: $tool is missing (apt-get install -y time jq)" >&2
      exit 2
    fi
  done
  # Build the jar now, so that no timed command includes a Maven build.
  ./fornax --version >/dev/null
  jar="$here/target/fornax.jar"
}

machine_line() {
  echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB RAM, $(java -version 2>&1 | head -1)"
}

# Starts a RESULTS.md section: title, date, git revision, machine, load average.
results_section() {
  {
    echo
    echo "## $1 — $(date -u +%Y-%m-%d) (git $(git rev-parse --short HEAD 2>/dev/null || echo '?'))"
    echo "Machine: $(machine_line). Load average at start: $(cut -d' ' -f1-3 /proc/loadavg) (shared machine)."
    echo
  } >> "$results"
}

# The architecture of a tiny preset.
preset_arch() {
  case "$1" in
    qwen2-0.5b) echo qwen2 ;;
    llama-3.2-1b) echo llama ;;
    phi-3-mini) echo phi3 ;;
    gemma-2b) echo gemma ;;
    *) echo "unknown preset $1 (qwen2-0.5b, llama-3.2-1b, phi-3-mini, gemma-2b)" >&2; return 1 ;;
  esac
}

# GiB free on the file system holding $1.
free_gib() {
  df -BG --output=avail "$1" | tail -1 | tr -dc '0-9'
}

# Refuses to go on with less than $2 GiB free under $1.
require_free() {
  local have
  have="$(free_gib "$1")"
  if [ "$have" -lt "$2" ]; then
    echo "$bench_name: $1 has $have GiB free, this step needs $2 GiB" >&2
    exit 2
  fi
}

# Writes a preset with `fornax tiny --seed 0` once (shared with float-engine.sh) and prints its directory.
ensure_preset() {
  local preset="$1" arch model
  arch="$(preset_arch "$preset")" || exit 2
  model="$bench_dir/$preset"
  if [ ! -f "$model/config.json" ]; then
    # bf16 inputs: 1 GB (qwen2-0.5b) … 7.6 GB (phi-3-mini); keep 2× for the compile output.
    require_free "$bench_dir" 20
    echo "$bench_name: writing the $preset preset to $model" >&2
    ./fornax tiny --arch "$arch" --preset "$preset" --seed 0 -o "$model" >&2
  fi
  echo "$model"
}

# Wall seconds, CPU seconds (user + system) and peak RSS (MiB) from a `/usr/bin/time -v` log.
time_wall_s() {
  awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,p,":"); s=0; for(i=1;i<=n;i++) s=s*60+p[i]; print s}' "$1"
}
time_cpu_s() {
  awk -F': ' '/User time \(seconds\)/{u=$2} /System time \(seconds\)/{s=$2} END{printf "%.1f", u + s}' "$1"
}
time_rss_mib() {
  awk -F': ' '/Maximum resident set size/{printf "%d", $2/1024}' "$1"
}

# The engine benchmarks' prompt on the qwen2-0.5b preset: 11 ids.
ENGINE_PROMPT="151643,9707,11,1879,374,264,1273,315,279,17310,4712"

# generate_cells MODEL NEW_TOKENS JAVA_OPTS [ARGS...]: one `./fornax generate` of ENGINE_PROMPT
# under /usr/bin/time with FORNAX_JAVA_OPTS=JAVA_OPTS and the extra ARGS; prints the table cells
# "load s | prompt tok/s | decode tok/s | CPU s | peak RSS MiB | load avg at start" and logs the
# engine's timings line to stderr.
generate_cells() {
  local model="$1" n="$2" opts="$3" load_avg log timings
  shift 3
  load_avg="$(cut -d' ' -f1 /proc/loadavg)"
  log="$(mktemp)"
  FORNAX_JAVA_OPTS="$opts" /usr/bin/time -v \
    ./fornax generate "$model" --tokens "$ENGINE_PROMPT" -n "$n" --ignore-eos --timings "$@" >/dev/null 2>"$log"
  timings="$(grep '^timings:' "$log")"
  echo "$bench_name: $opts $*: $timings; peak RSS $(time_rss_mib "$log") MiB (load avg $load_avg)" >&2
  printf '%s | %s | %s | %s | %s | %s' \
    "$(sed -E 's/.*load ([0-9.]+) s.*/\1/' <<<"$timings")" \
    "$(sed -E 's/.*prompt [0-9]+ tokens [0-9.]+ s \(([0-9.]+) tokens\/s\).*/\1/' <<<"$timings")" \
    "$(sed -E 's/.*decode [0-9]+ tokens [0-9.]+ s \(([0-9.]+) tokens\/s\).*/\1/' <<<"$timings")" \
    "$(time_cpu_s "$log")" "$(time_rss_mib "$log")" "$load_avg"
  rm -f "$log"
}

# Raw write time of $2 bytes to a file under $1: dd from /dev/zero, 1 MiB blocks, fsync before dd
# ends (conv=fsync), so the time includes reaching the disk. Prints seconds.
dd_write_s() {
  local dir="$1" bytes="$2" probe count t0 t1
  probe="$dir/dd-probe.$$"
  count=$(( (bytes + 1048575) / 1048576 ))
  t0="$(date +%s.%N)"
  dd if=/dev/zero of="$probe" bs=1M count="$count" conv=fsync status=none
  t1="$(date +%s.%N)"
  rm -f "$probe"
  awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f\n", b - a}'
}

# Runs a command with each stderr line prefixed by the epoch time it arrived; stdout is discarded.
# The command's exit status is returned.
timestamped_stderr() {
  local log="$1"; shift
  { "$@" 2>&1 >/dev/null; echo "exit-status $?" >&2; } 2>&1 | while IFS= read -r line; do
    printf '%s %s\n' "$(date +%s.%N)" "$line"
  done > "$log"
  local status
  status="$(awk '/ exit-status /{print $3}' "$log" | tail -1)"
  return "${status:-1}"
}
