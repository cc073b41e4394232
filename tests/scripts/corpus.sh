#!/usr/bin/env bash
# Every .hspec under $HYSCALE_CORPUS goes through `hyscale validate service` without a
# crash: exit 0 (valid) or 1 (rejected with diagnostics), never a signal or an internal
# error. Skipped (exit 0 with a note) when HYSCALE_CORPUS is unset.
set -u
bin=$1
if [ -z "${HYSCALE_CORPUS:-}" ]; then echo "corpus: HYSCALE_CORPUS not set, skipped"; exit 0; fi
[ -d "$HYSCALE_CORPUS" ] || { echo "corpus: $HYSCALE_CORPUS is not a folder"; exit 1; }
pass=0; fail=0
while IFS= read -r -d '' f; do
  out=$("$bin" validate service -f "$f" -a corpus 2>&1); rc=$?
  if [ $rc -eq 0 ] || [ $rc -eq 1 ]; then
    if [ $rc -eq 1 ] && ! grep -qE ': (error|warning): ' <<<"$out"; then
      echo "FAIL: $f rejected without a diagnostic"; fail=$((fail+1))
    else
      pass=$((pass+1))
    fi
  else
    echo "FAIL: $f exit $rc"; echo "$out" | head -5; fail=$((fail+1))
  fi
done < <(find "$HYSCALE_CORPUS" -name '*.hspec' -print0 | sort -z)
echo "corpus: $pass passed, $fail failed"
[ $fail -eq 0 ]
