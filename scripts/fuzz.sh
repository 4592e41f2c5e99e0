#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/fuzz_<name>.c) with clang in
# build-fuzz and runs each for a bounded time on a scratch copy of its seeds,
# tests/fuzz/corpus/<name>/ (the tree stays clean), FUZZ_JOBS at a time.
# Fails on any crash, leak, per-input timeout, memory blow-up or undefined
# behaviour, printing the input and the command that replays it.
#
# Usage: scripts/fuzz.sh [name...]        (default: every fuzz_<name>.c)
#   FUZZ_SECONDS  seconds per target (default 8: with 18 targets, two at a
#                 time, the whole step, build included, takes about 1.5
#                 minutes on 2 cores)
#   FUZZ_JOBS     targets run at once (default 2)
# Per target, tests/fuzz/fuzz_<name>.dict is passed as -dict= and
# tests/fuzz/fuzz_<name>.options holds extra libFuzzer flags (-max_len=...).
# Needs clang and libFuzzer's runtime: scripts/bootstrap.sh installs them.
#
# To keep inputs a longer run found (a handful, not thousands):
#   build-fuzz/tests/fuzz/fuzz_<name> -merge=1 /tmp/new tests/fuzz/corpus/<name> <run dir>
# then copy what lands in /tmp/new into tests/fuzz/corpus/<name>/.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-8}
jobs=${FUZZ_JOBS:-2}
timeout_s=10          # one input; these parsers take microseconds
rss_mb=1024
bin=build-fuzz/tests/fuzz
artifacts=build-fuzz/fuzz-artifacts

if ! command -v clang >/dev/null; then
  echo "fuzz: clang not found (scripts/bootstrap.sh installs clang and libclang-rt-14-dev)" >&2
  exit 1
fi

if [ $# -gt 0 ]; then
  names=("$@")
else
  names=()
  for f in tests/fuzz/fuzz_*.c; do
    n=${f#tests/fuzz/fuzz_}
    names+=("${n%.c}")
  done
fi
for n in "${names[@]}"; do
  [ -f "tests/fuzz/fuzz_$n.c" ] || { echo "fuzz: no tests/fuzz/fuzz_$n.c" >&2; exit 1; }
  # Seeds are part of a target: without them it fuzzes from nothing.
  if [ -z "$(ls -A "tests/fuzz/corpus/$n" 2>/dev/null)" ]; then
    echo "fuzz: tests/fuzz/corpus/$n/ is missing or empty: add seeds for fuzz_$n" >&2
    exit 1
  fi
done

echo "== fuzz (libFuzzer, ${seconds}s per target, $jobs at a time): ${names[*]} =="
# The compiler is named rather than taken from CC, so that a build-fuzz
# configured by hand with gcc is switched over instead of skipping them.
cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DTHC_FUZZ=ON >/dev/null
targets=()
for n in "${names[@]}"; do targets+=("fuzz_$n"); done
cmake --build build-fuzz -j"$jobs" --target "${targets[@]}" >/dev/null

# Readable stack traces in the report: the symbolizer that matches clang.
if ! command -v llvm-symbolizer >/dev/null; then
  llvm_bin=$(dirname "$(readlink -f "$(command -v clang)")")
  [ -x "$llvm_bin/llvm-symbolizer" ] && export ASAN_SYMBOLIZER_PATH="$llvm_bin/llvm-symbolizer"
fi
# A smaller quarantine than ASan's 256 MB keeps two runs well under the RSS
# limit and still catches a use after free in these small parsers.
export ASAN_OPTIONS="quarantine_size_mb=64:detect_leaks=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"

scratch=$(mktemp -d /tmp/thc-fuzz.XXXXXX)
trap 'rm -rf "$scratch"' EXIT

run_one() {
  local n=$1 dir="$scratch/$1" flags=()
  mkdir -p "$dir/corpus"
  rm -rf "${artifacts:?}/$n"
  mkdir -p "$artifacts/$n"
  cp -R "tests/fuzz/corpus/$n/." "$dir/corpus/"
  [ -f "tests/fuzz/fuzz_$n.dict" ] && flags+=("-dict=tests/fuzz/fuzz_$n.dict")
  if [ -f "tests/fuzz/fuzz_$n.options" ]; then
    read -r -a opts < "tests/fuzz/fuzz_$n.options" || true   # no final newline: still read
    flags+=("${opts[@]}")
  fi
  set +e
  "$bin/fuzz_$n" -max_total_time="$seconds" -timeout="$timeout_s" -rss_limit_mb="$rss_mb" \
    -print_final_stats=1 -artifact_prefix="$artifacts/$n/" "${flags[@]}" "$dir/corpus" \
    >"$dir/log" 2>&1
  echo $? >"$dir/rc"
}

for n in "${names[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
    wait -n || true
  done
  run_one "$n" &
done
wait

failed=0
for n in "${names[@]}"; do
  dir="$scratch/$n"
  rc=$(cat "$dir/rc" 2>/dev/null || echo 1)
  # "#123 DONE cov: 189 ft: 1053 corp: 358/35Kb ..." and the final stats.
  cov=$(grep -Eo 'cov: [0-9]+ ft: [0-9]+' "$dir/log" | tail -1 || true)
  runs=$(sed -n "s/^stat::number_of_executed_units: *//p" "$dir/log")
  rate=$(sed -n "s/^stat::average_exec_per_sec: *//p" "$dir/log")
  if [ "$rc" = 0 ]; then
    echo "fuzz_$n: ok, ${runs:-?} runs, ${rate:-?}/s, ${cov:-no coverage line}"
    continue
  fi
  failed=1
  echo "fuzz_$n: FAILED (exit $rc)"
  echo "---- last lines of the fuzzer's output ----"
  grep -v -E '^#[0-9]+[[:space:]]+(NEW|REDUCE|pulse|INITED)|^(INFO|stat::)' "$dir/log" | tail -n 60
  for a in "$artifacts/$n"/*; do
    [ -f "$a" ] || continue
    echo "---- input $a ($(wc -c <"$a") bytes), first 512 ----"
    head -c 512 "$a" | od -A d -c | head -n 40
    case $a in
      */leak-*) echo "replay:   ASAN_OPTIONS=fast_unwind_on_malloc=0 $bin/fuzz_$n $a   (full leak stacks)" ;;
      *) echo "replay:   $bin/fuzz_$n $a" ;;
    esac
    echo "minimize: $bin/fuzz_$n -minimize_crash=1 -runs=100000 $a"
  done
  echo "Then fix the parser, add a unit test that fails without the fix (tests/unit/),"
  echo "and keep the minimized input in tests/fuzz/corpus/$n/."
done
exit $failed
