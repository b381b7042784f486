#!/usr/bin/env bash
# Hostile and careless inputs, end to end (issue 13 acceptance, outside CI): each case runs the
# real ./fornax from this checkout and must end within 30 s with a non-zero exit other than 70,
# exactly one "fornax: ..." line on stderr (its last line) containing the expected fragment (the
# file or option it names), no stack trace, nothing new left on disk, no surviving child process,
# and no special file replaced.
#
#   bench/hostile.sh            prints one line per case and a summary, appends the counts and every
#                               case's message to bench/RESULTS.md; exit 1 if any case failed
#   HOSTILE_ONLY=REGEX bench/hostile.sh   only the cases whose name matches, nothing appended
#
# Works in a fresh temporary directory with a fresh simulator cache (FORNAX_CACHE), removed at the end.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$here/bench/lib.sh"
results="$here/bench/RESULTS.md"
F="$here/fornax"
STORIES="$here/models/stories260K/stories260K.bin"
work="$(mktemp -d /tmp/fornax-hostile.XXXXXX)"
hub_pid=""
trap 'rm -rf "$work"' EXIT
export FORNAX_CACHE="$work/cache"
export FORNAX_JAVA_OPTS="-Xmx2g"
fx="$work/fx"      # fixtures, built once
cases="$work/cases" # where the cases run and write
mkdir -p "$fx" "$cases" "$FORNAX_CACHE"
"$F" --version >/dev/null || { echo "hostile: cannot build fornax" >&2; exit 2; }

pass=0
failed=()
# what went wrong, counted once per case: wrong result (exit 0), internal error (exit 70), hang
# (killed at 30 s), not one clean 'fornax:' line, stack trace, left on disk, surviving process
n_exit0=0; n_exit70=0; n_hang=0; n_lines=0; n_trace=0; n_left=0; n_surv=0
rows=()
listing() { find "$cases" "$FORNAX_CACHE" -mindepth 1 -printf '%p %y\n' 2>/dev/null | sort; }
survivors() { # processes still carrying this case's marker in their environment
  local id="$1" p
  for p in /proc/[0-9]*; do
    if tr '\0' '\n' 2>/dev/null < "$p/environ" | grep -qx "FORNAX_HOSTILE_CASE=$id"; then
      echo "${p#/proc/} $(tr '\0' ' ' 2>/dev/null < "$p/cmdline" | cut -c1-80)"
    fi
  done
}

# verdict NAME FRAGMENT EXIT STDERR_FILE BEFORE_LISTING SECONDS [KEEP-REGEX]
# KEEP-REGEX: new paths a case may leave by design (only the stalled download's .incomplete blob,
# which the next run resumes, as huggingface_hub keeps it); every other new path is a failure
verdict() {
  local name="$1" fragment="$2" exit="$3" err="$4" before="$5" secs="$6" keep="${7:-}" problems=()
  [ "$exit" -eq 0 ] && { problems+=("exit 0"); n_exit0=$((n_exit0 + 1)); }
  [ "$exit" -eq 70 ] && { problems+=("exit 70"); n_exit70=$((n_exit70 + 1)); }
  { [ "$exit" -eq 124 ] || [ "$exit" -eq 137 ]; } && [ "$secs" -ge 30 ] && { problems+=("did not end within 30 s"); n_hang=$((n_hang + 1)); }
  local lines last clean=1
  lines=$(grep -c '^fornax: ' "$err" || true)
  last=$(grep -v '^\s*$' "$err" | tail -1)
  [ "$lines" -eq 1 ] || { problems+=("$lines 'fornax:' lines"); clean=0; }
  case "$last" in "fornax: "*) ;; *) problems+=("last stderr line is not 'fornax: ...'"); clean=0;; esac
  grep -qF -- "$fragment" <<<"$last" || { problems+=("message lacks '$fragment'"); clean=0; }
  [ "$clean" -eq 1 ] || n_lines=$((n_lines + 1))
  grep -qE 'Exception|^\s+at |internal error' "$err" && { problems+=("stack trace or internal error"); n_trace=$((n_trace + 1)); }
  local after; after="$(listing)"
  if [ -n "$keep" ]; then
    after="$(grep -vE -- "$keep" <<<"$after" || true)"; before="$(grep -vE -- "$keep" <<<"$before" || true)"
  fi
  [ "$after" == "$before" ] || { problems+=("left on disk: $(diff <(echo "$before") <(echo "$after") | grep '^>' | head -3 | tr '\n' ' ')"); n_left=$((n_left + 1)); }
  local s; s="$(survivors "$name")"
  [ -z "$s" ] || { problems+=("survivors: $s"); n_surv=$((n_surv + 1)); }
  # the message as the user sees it, paths of this run's scratch directory shortened to $W
  local shown="${last//$work/\$W}"
  shown="${shown//$here/.}"
  rows+=("| $name | $exit | $secs | $([ ${#problems[@]} -eq 0 ] && echo ok || echo "FAIL: ${problems[*]//|/\\|}") | \`${shown//|/\\|}\` |")
  if [ ${#problems[@]} -eq 0 ]; then
    pass=$((pass + 1)); printf 'ok    %-34s exit %3d %3ds  %s\n' "$name" "$exit" "$secs" "${last:0:110}"
  else
    failed+=("$name"); printf 'FAIL  %-34s exit %3d %3ds  %s\n      -> %s\n' "$name" "$exit" "$secs" "${last:0:110}" "${problems[*]}"
  fi
}

# HOSTILE_ONLY=REGEX runs only the cases whose name matches (and appends nothing to RESULTS.md)
selected() { [ -z "${HOSTILE_ONLY:-}" ] || [[ "$1" =~ $HOSTILE_ONLY ]]; }

# hostile NAME FRAGMENT SHELL-COMMAND [KEEP-REGEX] (run in $cases)
hostile() {
  local name="$1" fragment="$2" cmd="$3" keep="${4:-}" before err t0 exit
  selected "$name" || return 0
  before="$(listing)"; err="$work/$name.err"; t0=$(date +%s)
  (cd "$cases" && FORNAX_HOSTILE_CASE="$name" timeout -k 5 30 bash -c "$cmd") >/dev/null 2>"$err"
  exit=$?
  sleep 0.5
  verdict "$name" "$fragment" "$exit" "$err" "$before" $(( $(date +%s) - t0 )) "$keep"
}

# interrupted NAME SIGNAL WAIT-FOR-GLOB SHELL-COMMAND: signal once the glob matches (the work is under way)
interrupted() {
  local name="$1" sig="$2" glob="$3" cmd="$4" before err t0 pid exit i
  selected "$name" || return 0
  before="$(listing)"; err="$work/$name.err"; t0=$(date +%s)
  set -m
  (cd "$cases" && FORNAX_HOSTILE_CASE="$name" exec bash -c "exec $cmd") >/dev/null 2>"$err" &
  pid=$!
  set +m
  for i in $(seq 1 600); do
    compgen -G "$glob" >/dev/null && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  sleep 0.5
  kill -s "$sig" "$pid" 2>/dev/null
  for i in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  wait "$pid"; exit=$?
  sleep 0.5
  verdict "$name" "$fragment_unused" "$exit" "$err" "$before" $(( $(date +%s) - t0 ))
}
fragment_unused="fornax: interrupted"

echo "hostile: preparing fixtures in $fx ..." >&2
"$F" tiny --arch llama -o "$fx/m" >/dev/null
"$F" tiny --arch llama --hidden 512 --layers 6 --heads 8 --kv-heads 2 --intermediate 1536 --vocab 16000 -o "$fx/mid" >/dev/null
"$F" compile "$STORIES" -o "$fx/design" >/dev/null
mkfifo "$fx/fifo"; ln -s "$fx/m/config.json" "$fx/link"; mkdir -p "$fx/dir"
python3 -c "import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])" "$fx/sock"
cp -r "$fx/m" "$fx/m-dup"
python3 - "$fx" <<'PY'
import json, struct, sys, os
fx = sys.argv[1]
def split_tok(path, regex):
    json.dump({"model": {"type": "BPE", "vocab": {"a": 0, "b": 1, ",": 2, "X": 3}, "merges": []},
               "pre_tokenizer": {"type": "Split", "pattern": {"Regex": regex}, "behavior": "Isolated", "invert": False}},
              open(path, "w"))
split_tok(fx + "/tok-nested.json", "((a+)+)+b")
split_tok(fx + "/tok-star.json", "(.*,){14}X")
good = '{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": []}'
open(fx + "/tok-deep.json", "w").write('{"a": ' + "[" * 5000 + "]" * 5000 + "}")
open(fx + "/tok-big.json", "w").write(good + ', "x": "' + "y" * 21000000 + '"}')
os.makedirs(fx + "/tc-deep"); open(fx + "/tc-deep/tokenizer.json", "w").write(good + "}")
open(fx + "/tc-deep/tokenizer_config.json", "w").write('{"a": ' + "[" * 5000 + "]" * 5000 + "}")
os.makedirs(fx + "/tc-big"); open(fx + "/tc-big/tokenizer.json", "w").write(good + "}")
open(fx + "/tc-big/tokenizer_config.json", "w").write('{"chat_template": "' + "y" * 21000000 + '"}')
# safetensors with one tensor named twice
h = json.dumps({"model.norm.weight": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}})[:-1]
h += ', "model.norm.weight": {"dtype": "F32", "shape": [2], "data_offsets": [8, 16]}}'
open(fx + "/m-dup/model.safetensors", "wb").write(struct.pack("<Q", len(h)) + h.encode() + bytes(16))
open(fx + "/ovf.bin", "wb").write(struct.pack("<7i", 1 << 30, 1 << 30, 1, 1 << 10, 1 << 10, 512, 1))
open(fx + "/wrap.bin", "wb").write(struct.pack("<7i", 1 << 30, 1 << 30, 1, 1 << 29, 1 << 29, 1073741820, 1 << 29))
open(fx + "/short.bin", "wb").write(b"\x01\x02\x03")
open(fx + "/latin1.txt", "wb").write("caf\u00e9".encode("latin-1"))
PY
for v in latin1 geneos addtok nocfg mistral shape trunc nan; do cp -r "$fx/m" "$fx/m-$v"; done
python3 - "$fx" <<'PY'
import json, sys, struct
fx = sys.argv[1]
c = open(fx + "/m-latin1/config.json", encoding="utf-8").read().replace("{", '{\n  "_name_or_path": "caf\u00e9",', 1)
open(fx + "/m-latin1/config.json", "wb").write(c.encode("latin-1"))
json.dump({"eos_token_id": [2, 9999]}, open(fx + "/m-geneos/generation_config.json", "w"))
json.dump({"model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": ["a b"]},
           "added_tokens": [{"id": 700, "content": "<y>", "special": False}]}, open(fx + "/m-addtok/tokenizer.json", "w"))
c = json.load(open(fx + "/m-mistral/config.json")); c["model_type"] = "mistral"; json.dump(c, open(fx + "/m-mistral/config.json", "w"))
c = json.load(open(fx + "/m-shape/config.json")); c["intermediate_size"] = 128; json.dump(c, open(fx + "/m-shape/config.json", "w"))
st = fx + "/m-trunc/model.safetensors"; b = open(st, "rb").read(); open(st, "wb").write(b[:-1000])
st = fx + "/m-nan/model.safetensors"; b = bytearray(open(st, "rb").read()); n = struct.unpack("<Q", b[:8])[0]
b[8 + n + 64: 8 + n + 66] = b"\xc0\x7f"; open(st, "wb").write(bytes(b))
PY
rm "$fx/m-nocfg/config.json"
# designs tampered after compile
for v in sha edit del trunc path; do cp -r "$fx/design" "$fx/d-$v"; done
python3 - "$fx" <<'PY'
import json, sys
fx = sys.argv[1]
m = json.load(open(fx + "/d-sha/manifest.json")); k = sorted(m["sha256"])[0]; m["sha256"][k] = "0" * 64
json.dump(m, open(fx + "/d-sha/manifest.json", "w"), indent=2)
p = fx + "/d-edit/rtl/fornax_core.v"; open(p, "a").write("// edited\n")
m = json.load(open(fx + "/d-path/manifest.json")); m["rtl"][0] = "../../../../etc/hostname"
json.dump(m, open(fx + "/d-path/manifest.json", "w"), indent=2)
PY
rm "$fx/d-del/mem/weights.mem"
head -c 1000 "$fx/design/mem/weights.mem" > "$fx/d-trunc/mem/weights.mem"

# special files where inputs are expected; a model for the kernel path
mkfifo "$fx/in.fifo" "$fx/in.gguf"
for v in cfgfifo genfifo stfifo; do cp -r "$fx/m" "$fx/m-$v"; done
rm "$fx/m-cfgfifo/config.json"; mkfifo "$fx/m-cfgfifo/config.json"
mkfifo "$fx/m-genfifo/generation_config.json"
rm "$fx/m-stfifo/model.safetensors"; mkfifo "$fx/m-stfifo/model.safetensors"
ln -s "$fx/nowhere" "$fx/broken"; ln -s "$fx/loop-b" "$fx/loop-a"; ln -s "$fx/loop-a" "$fx/loop-b"
"$F" compile "$STORIES" -o "$fx/kdesign" --board kv260 --weights dram >/dev/null
# crafted GGUF files: a real fixture (written by llama.cpp's converter) with one field patched
GGUF_FIXTURE="$here/src/test/resources/gguf/k-llama-Q2_K.gguf"
head -c 100000 "$GGUF_FIXTURE" > "$fx/g-truncated.gguf"
printf 'GGUX\003\000\000\000and then some bytes that are no GGUF header' > "$fx/g-magic.gguf"
python3 - "$fx" "$GGUF_FIXTURE" <<'PY'
import struct, sys
fx, src = sys.argv[1], sys.argv[2]
b = bytearray(open(src, "rb").read())
magic, version, n_t, n_kv = struct.unpack_from("<4sIQQ", b, 0)
pos = 24
def string(p):
    n = struct.unpack_from("<Q", b, p)[0]; return p + 8 + n, p
SIZES = {0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8}
def value(p, t):
    if t == 8: return string(p)[0]
    if t == 9:
        et, n = struct.unpack_from("<IQ", b, p); p += 12
        for _ in range(n): p = value(p, et)
        return p
    return p + SIZES[t]
first_string_len = None
for _ in range(n_kv):
    p, at = string(pos); t = struct.unpack_from("<I", b, p)[0]
    if t == 8 and first_string_len is None: first_string_len = p + 4
    pos = value(p + 4, t)
tensors = []
for _ in range(n_t):
    p, at = string(pos); nd = struct.unpack_from("<I", b, p)[0]; p += 4 + 8 * nd
    tensors.append((b[at + 8:string(pos)[0]].decode(), p)); pos = p + 12
def out(name, patch):
    c = bytearray(b); patch(c); open(fx + "/" + name, "wb").write(bytes(c))
out("g-count.gguf", lambda c: struct.pack_into("<Q", c, 8, (1 << 62)))
out("g-kvcount.gguf", lambda c: struct.pack_into("<Q", c, 16, (1 << 40)))
out("g-strlen.gguf", lambda c: struct.pack_into("<Q", c, first_string_len, (1 << 62)))
name, tp = tensors[1]
out("g-type.gguf", lambda c: struct.pack_into("<I", c, tp, 16))           # IQ2_XXS: a real ggml type fornax does not read
out("g-type99.gguf", lambda c: struct.pack_into("<I", c, tp, 99))         # no ggml type at all
out("g-offset.gguf", lambda c: struct.pack_into("<Q", c, tp + 4, 1 << 40))
out("g-misaligned.gguf", lambda c: struct.pack_into("<Q", c, tp + 4, struct.unpack_from("<Q", c, tp + 4)[0] + 3))
open(fx + "/g-tensor-name", "w").write(name)
PY
# HF models with broken files
for v in hdrlen escape bignum neglayers badmerge; do cp -r "$fx/m" "$fx/m-$v"; done
python3 - "$fx" <<'PY'
import json, struct, sys
fx = sys.argv[1]
st = fx + "/m-hdrlen/model.safetensors"; b = bytearray(open(st, "rb").read())
struct.pack_into("<Q", b, 0, 1 << 40); open(st, "wb").write(bytes(b))
h = json.loads(open(fx + "/m-escape/model.safetensors", "rb").read()[8:8 + struct.unpack("<Q", open(fx + "/m-escape/model.safetensors", "rb").read(8))[0]])
wm = {k: "model.safetensors" for k in h if k != "__metadata__"}; wm[sorted(wm)[0]] = "../../../../etc/hostname"
import os; os.rename(fx + "/m-escape/model.safetensors", fx + "/m-escape/model-00001-of-00001.safetensors")
wm = {k: ("model-00001-of-00001.safetensors" if v == "model.safetensors" else v) for k, v in wm.items()}
json.dump({"metadata": {}, "weight_map": wm}, open(fx + "/m-escape/model.safetensors.index.json", "w"))
import re; c = re.sub(r'"num_hidden_layers":\s*\d+', '"num_hidden_layers": 1e400', open(fx + "/m-bignum/config.json").read(), count=1)
open(fx + "/m-bignum/config.json", "w").write(c)
c = json.load(open(fx + "/m-neglayers/config.json")); c["num_hidden_layers"] = -1; json.dump(c, open(fx + "/m-neglayers/config.json", "w"))
json.dump({"model": {"type": "BPE", "vocab": {"a": 0, "b": 1}, "merges": ["a q"]}}, open(fx + "/m-badmerge/tokenizer.json", "w"))
PY
: > "$fx/empty.bin"
echo "not a design" > "$fx/afile"
# a stand-in hub on 127.0.0.1 (bench/hub-mock.py) and a Hugging Face cache inside the cases' directory
python3 "$here/bench/hub-mock.py" "$fx/m" "$work/hub.port" & hub_pid=$!
trap 'kill "$hub_pid" 2>/dev/null; rm -rf "$work"' EXIT
for i in $(seq 1 50); do [ -f "$work/hub.port" ] && break; sleep 0.1; done
export HF_ENDPOINT="http://127.0.0.1:$(cat "$work/hub.port")" HF_HUB_CACHE="$cases/hf" HF_HOME="$work/hf-home"
grep -q 1e400 "$fx/m-bignum/config.json" || { echo "hostile: the m-bignum fixture was not patched" >&2; exit 2; }

specials() { stat -c '%n %F %a %i' "$fx/fifo" "$fx/sock" "$fx/link" "$fx/m/config.json"; }
specials_before="$(specials)"
echo "hostile: running cases ..." >&2
# output safety (item 1)
hostile logits-to-fifo      "--out $fx/fifo"   "'$F' logits '$STORIES' --tokens 1,2 --out '$fx/fifo'"
hostile logits-to-symlink   "--out $fx/link"   "'$F' logits '$STORIES' --tokens 1,2 --out '$fx/link'"
hostile logits-to-socket    "--out $fx/sock"   "'$F' logits '$STORIES' --tokens 1,2 --out '$fx/sock'"
hostile logits-to-directory "--out $fx/dir"    "'$F' logits '$STORIES' --tokens 1,2 --out '$fx/dir'"
hostile compile-to-symlink  "-o $fx/link"      "'$F' compile '$STORIES' -o '$fx/link'"
hostile tiny-to-fifo        "-o $fx/fifo"      "'$F' tiny --arch llama -o '$fx/fifo'"
hostile wave-to-fifo        "--wave $fx/fifo"  "'$F' verify '$fx/design' --tokens 1 -n 1 --wave '$fx/fifo'"
# regex budget (item 2)
hostile regex-nested        "tok-nested.json"  "'$F' tokenize '$fx/tok-nested.json' --text aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
hostile regex-star          "tok-star.json"    "'$F' tokenize '$fx/tok-star.json' --text ,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,"
# stdout write errors (item 3)
hostile generate-json-full  "standard output"  "'$F' generate '$STORIES' --prompt hi -n 3 --json > /dev/full"
hostile generate-full       "standard output"  "'$F' generate '$STORIES' --prompt hi -n 3 > /dev/full"
hostile tokenize-full       "standard output"  "'$F' tokenize '$STORIES' --text hi > /dev/full"
hostile inspect-full        "standard output"  "'$F' inspect '$STORIES' > /dev/full"
hostile compile-full        "standard output"  "'$F' compile '$STORIES' -o out > /dev/full; s=\$?; rm -rf out; exit \$s"
hostile help-full           "standard output"  "'$F' --help > /dev/full"
# signals (item 4)
interrupted sigint-compile  INT  "$cases/mid.tmp-*"   "'$F' compile '$fx/mid' --weights rom -o mid"
interrupted sigterm-compile TERM "$cases/mid.tmp-*"   "'$F' compile '$fx/mid' --weights rom -o mid"
interrupted sigterm-tiny    TERM "$cases/.big.tmp-*"  "'$F' tiny --arch llama --hidden 1024 --layers 8 --intermediate 4096 --vocab 32000 --heads 16 --kv-heads 4 -o big"
interrupted sigint-tiny     INT  "$cases/.big.tmp-*"  "'$F' tiny --arch llama --hidden 1024 --layers 8 --intermediate 4096 --vocab 32000 --heads 16 --kv-heads 4 -o big"
interrupted sigterm-verify  TERM "$FORNAX_CACHE/verilator/*.tmp-*" "'$F' verify '$fx/design' --tokens 1,403 -n 1"
interrupted sigint-verify   INT  "$FORNAX_CACHE/verilator/*.tmp-*" "'$F' verify '$fx/design' --tokens 1,403 -n 1"
# verify's file checks (item 5)
hostile verify-edited-hash  "d-sha"            "'$F' verify '$fx/d-sha' --tokens 1 -n 1"
hostile verify-edited-rtl   "fornax_core.v"    "'$F' verify '$fx/d-edit' --tokens 1 -n 1"
hostile verify-missing-mem  "weights.mem"      "'$F' verify '$fx/d-del' --tokens 1 -n 1"
hostile verify-truncated-mem "weights.mem"     "'$F' verify '$fx/d-trunc' --tokens 1 -n 1"
hostile manifest-escapes    "etc/hostname"     "'$F' verify '$fx/d-path' --tokens 1 -n 1"
# JSON limits (item 6)
hostile tokenizer-deep      "tok-deep.json"    "'$F' tokenize '$fx/tok-deep.json' --text a"
hostile tokenizer-21mb      "tok-big.json"     "'$F' tokenize '$fx/tok-big.json' --text a"
hostile tokconfig-deep      "tokenizer_config.json" "'$F' tokenize '$fx/tc-deep/tokenizer.json' --text a"
hostile tokconfig-21mb      "tokenizer_config.json" "'$F' tokenize '$fx/tc-big/tokenizer.json' --text a"
# duplicates, sizes, messages (items 7-10)
hostile duplicate-tensor    "model.norm.weight" "'$F' inspect '$fx/m-dup'"
hostile llama2c-overflow    "ovf.bin"          "'$F' inspect '$fx/ovf.bin'"
hostile llama2c-wraps       "wrap.bin"         "'$F' inspect '$fx/wrap.bin'"
hostile tiny-disk-full      "not enough disk space" "'$F' tiny --arch llama --layers 2147483647 -o huge"
hostile latin1-config       "not valid UTF-8"  "'$F' inspect '$fx/m-latin1'"
hostile generation-eos      "generation_config.json" "'$F' inspect '$fx/m-geneos'"
hostile added-token         "id 700"           "'$F' generate '$fx/m-addtok' --prompt '<y>ab' -n 1"
# a spread of what was already handled
hostile missing-config      "no config.json"   "'$F' inspect '$fx/m-nocfg'"
hostile unknown-arch        "mistral"          "'$F' inspect '$fx/m-mistral'"
hostile wrong-shape         "gate_proj"        "'$F' inspect '$fx/m-shape'"
hostile truncated-weights   "truncated"        "'$F' inspect '$fx/m-trunc'"
hostile nan-weight          "NaN"              "'$F' inspect '$fx/m-nan'"
hostile short-checkpoint    "short.bin"        "'$F' inspect '$fx/short.bin'"
hostile no-such-model       "nowhere"          "'$F' inspect '$fx/nowhere'"
hostile unknown-option      "--frobnicate"     "'$F' inspect --frobnicate '$STORIES'"
hostile bad-tokens          "--tokens"         "'$F' generate '$STORIES' --tokens 1,x,3"
hostile token-out-of-vocab  "--tokens"         "'$F' generate '$STORIES' --tokens 1,99999"
hostile bad-lanes           "--lanes"          "'$F' compile '$STORIES' -o out --lanes 3"
hostile context-too-big     "--context"        "'$F' compile '$STORIES' -o out --context 99999"
hostile not-a-design        "manifest.json"    "'$F' verify '$fx/dir' --tokens 1"
hostile eval-latin1-text    "latin1.txt"       "'$F' eval '$STORIES' --text '$fx/latin1.txt'"
hostile foreign-output-dir  "not a fornax design" "'$F' compile '$STORIES' -o '$fx/m'"
hostile decode-out-of-range "--decode"         "'$F' tokenize '$STORIES' --decode 1,600"
# special files where an input is expected: named, never opened (a FIFO would block the read)
hostile input-fifo-model     "in.fifo"          "'$F' inspect '$fx/in.fifo'"
hostile input-fifo-gguf      "in.gguf"          "'$F' inspect '$fx/in.gguf'"
hostile input-fifo-config    "config.json"      "'$F' inspect '$fx/m-cfgfifo'"
hostile input-fifo-genconfig "generation_config.json" "'$F' inspect '$fx/m-genfifo'"
hostile input-fifo-weights   "model.safetensors" "'$F' inspect '$fx/m-stfifo'"
hostile input-fifo-text      "--text"           "'$F' eval '$STORIES' --text '$fx/in.fifo'"
hostile input-fifo-tokenizer "in.fifo"          "'$F' tokenize '$fx/in.fifo' --text hi"
hostile input-broken-link    "broken"           "'$F' inspect '$fx/broken'"
hostile input-link-loop      "loop-a"           "'$F' inspect '$fx/loop-a'"
hostile empty-model-file     "empty.bin"        "'$F' inspect '$fx/empty.bin'"
# more outputs
hostile stdout-closed        "standard output"  "'$F' inspect '$STORIES' >&-"
hostile eval-report-fifo     "fifo"             "'$F' eval '$STORIES' --prompt hi --report '$fx/fifo'"
hostile compile-onto-file    "afile"            "'$F' compile '$STORIES' -o '$fx/afile'"
hostile logits-no-dir        "does not exist"   "'$F' logits '$STORIES' --tokens 1,2 --out '$fx/nodir/x.npy'"
# GGUF files cut or patched (one field of a file written by llama.cpp's converter)
hostile gguf-truncated       "g-truncated.gguf" "'$F' inspect '$fx/g-truncated.gguf'"
hostile gguf-bad-magic       "g-magic.gguf"     "'$F' inspect '$fx/g-magic.gguf'"
hostile gguf-tensor-count    "g-count.gguf"     "'$F' inspect '$fx/g-count.gguf'"
hostile gguf-kv-count        "g-kvcount.gguf"   "'$F' inspect '$fx/g-kvcount.gguf'"
hostile gguf-string-length   "g-strlen.gguf"    "'$F' inspect '$fx/g-strlen.gguf'"
hostile gguf-unsupported-type "$(cat "$fx/g-tensor-name")" "'$F' inspect '$fx/g-type.gguf'"
hostile gguf-unknown-type    "g-type99.gguf"    "'$F' inspect '$fx/g-type99.gguf'"
hostile gguf-offset-past-end "g-offset.gguf"    "'$F' inspect '$fx/g-offset.gguf'"
hostile gguf-misaligned      "g-misaligned.gguf" "'$F' inspect '$fx/g-misaligned.gguf'"
# safetensors, shard index, config numbers, tokenizer merges
hostile safetensors-header-length "m-hdrlen"    "'$F' inspect '$fx/m-hdrlen'"
hostile shard-index-escapes  "etc/hostname"     "'$F' inspect '$fx/m-escape'"
hostile config-huge-number   "num_hidden_layers" "'$F' inspect '$fx/m-bignum'"
hostile config-negative      "num_hidden_layers" "'$F' inspect '$fx/m-neglayers'"
hostile tokenizer-bad-merge  "tokenizer.json"   "'$F' tokenize '$fx/m-badmerge' --text ab"
# options
hostile negative-n           "-n"               "'$F' generate '$STORIES' --prompt hi -n -5"
hostile option-without-value "-o"               "'$F' compile '$STORIES' -o"
hostile empty-tokens         "--tokens"         "'$F' generate '$STORIES' --tokens ''"
# the Hugging Face hub (a stand-in on 127.0.0.1) and cache
hostile hub-401              "org/private"      "'$F' download org/private"
hostile hub-404-repo         "org/missing"      "'$F' download org/missing"
hostile hub-404-file         "model.safetensors" "'$F' download org/gone"
hostile hub-corrupt-blob     "corrupt"          "'$F' download org/corrupt"
hostile hub-stalled-transfer "stalled"          "'$F' download org/stall" "/hf(/models--org--stall(/blobs(/[0-9a-f]{40,64}(\\.incomplete)?)?)?|/\\.locks(/models--org--stall(/.*)?)?)? [df]$"
hostile hub-silent           "org/silent"       "'$F' download org/silent"
hostile hub-silent-blob      "stalled"          "'$F' download org/silentcdn" "/hf(/models--org--silentcdn(/blobs(/[0-9a-f]{40,64}(\\.incomplete)?)?)?|/\\.locks(/models--org--silentcdn(/.*)?)?)? [df]$"
hostile hub-refused          "127.0.0.1:9"      "HF_ENDPOINT=http://127.0.0.1:9 '$F' download org/ok"
hostile hub-offline-uncached "org/ok"           "HF_HUB_OFFLINE=1 '$F' inspect org/ok"
hostile hub-bad-repo-id      "org//x"           "'$F' download org//x"
# a signal during the kernel's Verilator build (verify --via kernel)
interrupted sigint-verify-kernel INT "$FORNAX_CACHE/verilator/*.tmp-*" "'$F' verify '$fx/kdesign' --via kernel --tokens 1,403 -n 1"

# no special file was replaced: type, mode and inode as before (the link's target too)
if [ "$(specials)" != "$specials_before" ]; then
  failed+=("special-files"); echo "FAIL  special file changed:"; diff <(echo "$specials_before") <(specials)
fi

total=${#rows[@]}
echo "hostile: $pass passed, ${#failed[@]} failed${failed:+: ${failed[*]}}"
specials_line="$([[ " ${failed[*]} " == *" special-files "* ]] && echo "one CHANGED" || echo "all still in place: same type, mode and inode")"
[ -n "${HOSTILE_ONLY:-}" ] && { [ ${#failed[@]} -eq 0 ]; exit; }
results_section "Hostile inputs end to end (bench/hostile.sh), issue 13"
{
  echo "Command: \`bench/hostile.sh\` from this checkout (the real ./fornax, FORNAX_JAVA_OPTS=-Xmx2g, a fresh"
  echo "FORNAX_CACHE, each case under \`timeout -k 5 30\`; signal cases send the signal once the command's"
  echo "temporary output exists). \$W = the run's scratch directory."
  echo
  echo "$total runs: $pass clean (non-zero exit, one \`fornax: ...\` line naming the file or option, nothing"
  echo "left on disk, no surviving process), ${#failed[@]} failed${failed:+ (${failed[*]})}. Wrong results (exit 0): $n_exit0;"
  echo "internal errors (exit 70): $n_exit70; hangs (killed at 30 s): $n_hang; not one clean line: $n_lines;"
  echo "stack traces: $n_trace; left on disk: $n_left; surviving processes: $n_surv. Special files (FIFO,"
  echo "socket, symbolic link) given as outputs: $specials_line."
  echo
  echo "| case | exit | s | result | last stderr line |"
  echo "|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
  echo
} >> "$results"
echo "hostile: appended to $results" >&2
[ ${#failed[@]} -eq 0 ]
