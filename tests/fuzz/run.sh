#!/usr/bin/env bash
# Builds the libFuzzer harness (Debian's clang + libclang-rt-14-dev) and fuzzes spec
# loading → validation → generation for every provider.
#
#   tests/fuzz/run.sh [SECONDS] [BUILD_DIR]     default: 60 s, build-fuzz/ in the source tree
#
# The corpus starts from the golden specs (tests/golden/*/*.hspec) and the hostile cases
# (tests/hostile/cases/*.hspec); new inputs go to BUILD_DIR/corpus, crashes to
# BUILD_DIR/crash-*. Exit status: 0 no crash, 1 a crash/leak/invariant failure (the
# reproducer path is printed), 77 clang's libFuzzer is not installed (ctest: skipped).
# Extra libFuzzer options can be given in FUZZ_OPTS (e.g. FUZZ_OPTS=-jobs=2).
set -eu
secs=${1:-60}
here=$(cd "$(dirname "$0")/../.." && pwd)
out=${2:-$here/build-fuzz}
cc=${FUZZ_CC:-clang}
command -v "$cc" >/dev/null 2>&1 || { echo "fuzz: $cc not found; skipped"; exit 77; }
mkdir -p "$out/corpus"
bin="$out/fuzz_spec"
# The command line and the cluster client are not on the spec → manifest path.
srcs=$(find "$here/src" -name '*.c' ! -path '*/src/cli/*' ! -path '*/src/deploy/*' | sort)
newest=$(ls -t $srcs "$here"/src/*/*.h "$here"/tests/fuzz/*.[ch] 2>/dev/null | head -1)
if [ ! -x "$bin" ] || [ "$newest" -nt "$bin" ]; then
  echo "fuzz: building $bin"
  # shellcheck disable=SC2086
  if ! "$cc" -std=c11 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer \
      -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
      -I"$here/src" -I"$here/tests/fuzz" $(pkg-config --cflags libfyaml libmd libcurl) \
      $srcs "$here/tests/fuzz/fuzz_spec.c" $(pkg-config --libs libfyaml libmd) -o "$bin.tmp" 2>"$out/build.log"; then
    if grep -q "libclang_rt.fuzzer\|fsanitize=fuzzer" "$out/build.log"; then
      cat "$out/build.log"; echo "fuzz: libFuzzer runtime missing (apt install libclang-rt-14-dev); skipped"; exit 77
    fi
    cat "$out/build.log"; exit 2
  fi
  mv "$bin.tmp" "$bin"
fi
seeds=$(mktemp -d); trap 'rm -rf "$seeds"' EXIT
n=0
for f in "$here"/tests/golden/*/*.hspec "$here"/tests/hostile/cases/*.hspec "$here"/tests/fuzz/regressions/*; do
  [ -f "$f" ] || continue
  n=$((n+1)); cp "$f" "$seeds/$n.hspec"
done
# Regressions first: each must pass before new inputs are tried.
if ls "$here"/tests/fuzz/regressions/* >/dev/null 2>&1; then
  "$bin" -runs=0 "$here"/tests/fuzz/regressions/* >"$out/regressions.log" 2>&1 || { cat "$out/regressions.log"; exit 1; }
fi
cd "$out"
# rss_limit: the tool must stay small on any input; max_len above the biggest seed.
# shellcheck disable=SC2086
"$bin" -max_total_time="$secs" -max_len=8192 -timeout=10 -rss_limit_mb=1024 \
  -dict="$here/tests/fuzz/hspec.dict" -print_final_stats=1 ${FUZZ_OPTS:-} corpus "$seeds" 2>&1 | tail -40 | tee "$out/last-run.log"
st=${PIPESTATUS[0]}
[ "$st" -eq 0 ] || { echo "fuzz: crash; reproducer: $(ls -t "$out"/crash-* "$out"/leak-* "$out"/timeout-* "$out"/oom-* 2>/dev/null | head -1)"; exit 1; }
