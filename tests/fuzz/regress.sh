#!/usr/bin/env bash
# Every input the fuzzer ever found (tests/fuzz/regressions/) through the real command,
# also where clang is not installed: within 20 s, exit 0 or 1, every error positioned
# (file:line:col), no sanitizer report.
#   tests/fuzz/regress.sh BUILD/hyscale
set -u
bin=$(realpath "$1")
dir=$(cd "$(dirname "$0")" && pwd)/regressions
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
for f in "$dir"/*; do
  cp "$f" "$tmp/web.hspec"
  (cd "$tmp" && timeout 20 "$bin" validate service -f web.hspec >"$tmp/out" 2>&1); rc=$?
  why=""
  if [ $rc -ne 0 ] && [ $rc -ne 1 ]; then why="exit $rc"
  elif grep -qE 'Sanitizer|runtime error' "$tmp/out"; then why="sanitizer report"
  elif grep -E ': error: ' "$tmp/out" | grep -qvE '^web\.hspec:[0-9]+:[0-9]+: error: '; then why="error without a position"
  fi
  if [ -n "$why" ]; then echo "FAIL: $(basename "$f"): $why"; head -5 "$tmp/out"; fail=$((fail+1)); else pass=$((pass+1)); fi
done
echo "fuzz regressions: $pass passed, $fail failed"
[ $fail -eq 0 ]
