#!/usr/bin/env bash
# The HyScale corpus ($HYSCALE_CORPUS, CI: /work/shared/corpus/hyscale) through hyscale:
#
# 1. Every .hspec under examples/ and HyScale's validator fixtures (ports, network
#    policies, profiles) is generated -- alone, and once with each profile beside it
#    that overrides it -- and either its manifests pass the strict schema test, or it is
#    refused with the reason listed in corpus-expectations.txt. An expectation that no
#    longer happens fails too, so the file cannot go stale.
# 2. Examples with {{username}} placeholders (invalid YAML, refused in step 1) are
#    generated again from a copy with the placeholder filled in ("filled"), so the rest
#    of those specs is exercised as well.
# 3. Every other .hspec in the corpus goes through `hyscale validate service` without a
#    crash: exit 0, or 1 with a diagnostic.
# 4. Each example folder is generated as one application (all its specs in one run).
# Nothing here passes -n, so no generated object may carry a namespace (HyScale wrote
# none; kubectl apply -n / the context's namespace decides): tests/scripts/no-namespace.mjs.
# Skipped (exit 0 with a note) when HYSCALE_CORPUS is unset.
set -u
bin=$(realpath "$1")
here=$(cd "$(dirname "$0")/.." && pwd)
expfile="$here/scripts/corpus-expectations.txt"
if [ -z "${HYSCALE_CORPUS:-}" ]; then echo "corpus: HYSCALE_CORPUS not set, skipped"; exit 0; fi
[ -d "$HYSCALE_CORPUS" ] || { echo "corpus: $HYSCALE_CORPUS is not a folder"; exit 1; }
corpus=$(realpath "$HYSCALE_CORPUS")
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fixtures=workflow-controller/controller-service/src/test/resources

# Expectations: "<glob of spec path> | <variant> | <text the refusal must contain>".
pats=(); vars=(); texts=(); used=()
while IFS= read -r line; do
  [[ "$line" =~ ^[[:space:]]*(#|$) ]] && continue
  IFS='|' read -r p v t <<<"$line"
  p=$(echo "$p" | xargs); v=$(echo "$v" | xargs); t=$(sed -e 's/^ *//' -e 's/ *$//' <<<"$t")
  pats+=("$p"); vars+=("$v"); texts+=("$t"); used+=(0)
done <"$expfile"

expectation() { # rel variant -> index or -1
  local i
  for i in "${!pats[@]}"; do
    # shellcheck disable=SC2053
    if [[ "$1" == ${pats[$i]} ]] && [[ "$2" == ${vars[$i]} ]]; then echo "$i"; return; fi
  done
  echo -1
}

pass=0; fail=0; refused=0; generated=0; n=0
# check REL VARIANT DIR ARGS...: runs generate in DIR.
check() {
  local rel=$1 variant=$2 dir=$3; shift 3
  n=$((n+1)); local out="$tmp/out/$n"
  local msg; msg=$(cd "$dir" && "$bin" generate service manifests "$@" -a corpus -O "$out" 2>&1 >/dev/null); local rc=$?
  local i; i=$(expectation "$rel" "$variant")
  if [ "$i" -ge 0 ]; then used[$i]=1; fi
  if [ $rc -eq 0 ] && [ "$i" -lt 0 ]; then
    pass=$((pass+1)); generated=$((generated+1)); echo "$rel [$variant]" >"$out.name"
  elif [ $rc -eq 0 ]; then
    echo "FAIL: $rel [$variant]: expected to be refused (${texts[$i]}) but was generated"; fail=$((fail+1))
  elif [ $rc -eq 1 ] && [ "$i" -ge 0 ] && grep -qF -- "${texts[$i]}" <<<"$msg"; then
    pass=$((pass+1)); refused=$((refused+1)); rm -rf "$out"
  else
    echo "FAIL: $rel [$variant] exit $rc"; echo "$msg" | head -8; fail=$((fail+1)); rm -rf "$out"
  fi
}

# profiles_for DIR NAME: profiles beside the spec (or in profiles/) overriding NAME.
profiles_for() {
  local f
  for f in "$1"/*.hprof "$1"/profiles/*.hprof; do
    [ -f "$f" ] || continue
    if grep -qE "^overrides:[[:space:]]*\"?$2\"?[[:space:]]*$" "$f"; then echo "${f#"$1"/}"; fi
  done
}

run_spec() { # REL ROOT VARIANT-PREFIX
  local rel=$1 root=$2 pre=$3
  local dir; dir=$(dirname "$root/$rel"); local base; base=$(basename "$rel")
  local name; name=$(sed -n -E 's/^name:[[:space:]]*"?([^"#]*[^"# ])"?[[:space:]]*(#.*)?$/\1/p' "$root/$rel" | head -1)
  check "$rel" "${pre}plain" "$dir" -f "$base"
  local p
  for p in $(profiles_for "$dir" "$name"); do check "$rel" "${pre}-p $p" "$dir" -f "$base" -p "$p"; done
}

mapfile -d '' specs < <(cd "$corpus" && find examples "$fixtures/ports" "$fixtures/network-policies" -name '*.hspec' -print0 2>/dev/null | sort -z)
for rel in "${specs[@]}"; do run_spec "$rel" "$corpus" ""; done

# HyScale's profile fixtures (ProfileLocatorTest, ProfileSpecProcessorTest).
ss="$fixtures/servicespecs"
check "$ss/myservice.hspec" "-P multiple" "$corpus/$ss" -f myservice.hspec -P multiple
check "$ss/myprofileservice.hspec" "-P test" "$corpus/$ss" -f myprofileservice.hspec -P test
check "$ss/myservice.hspec" "-p profiles/invalid.hprof" "$corpus/$ss" -f myservice.hspec -p profiles/invalid.hprof
check "$ss/myservice.hspec" "-p profiles/multiple-test.hprof" "$corpus/$ss" -f myservice.hspec -p profiles/multiple-test.hprof
check "$ss/myservice.hspec" "-p multiple-myservice.hprof -p profiles/multiple-myservice.hprof" "$corpus/$ss" \
  -f myservice.hspec -p multiple-myservice.hprof -p profiles/multiple-myservice.hprof

# Step 2: the placeholder examples, filled in.
cp -r "$corpus/examples" "$tmp/filled"
while IFS= read -r -d '' f; do sed -i 's/{{username}}/hyscale-corpus/g' "$f"; done < <(grep -rlZ '{{username}}' "$tmp/filled")
for rel in "${specs[@]}"; do
  [[ "$rel" == examples/* ]] || continue
  grep -q '{{' "$corpus/$rel" || continue
  run_spec "${rel#examples/}" "$tmp/filled" "filled "
done

# Step 4: each example folder as one application (all its specs in one run, each
# service with its own profile when every one has <env>-<service>.hprof): cross-service
# checks, and no clashes between the services' objects.
run_app() { # ROOT FOLDER LABEL
  local root=$1 folder=$2 label=$3 f
  mapfile -d '' app < <(cd "$root" && find "$folder" -name '*.hspec' -print0 | sort -z)
  [ ${#app[@]} -ge 2 ] || return 0
  local args=(); for f in "${app[@]}"; do args+=(-f "$f"); done
  check "$label" "app" "$root" "${args[@]}"
  local all=1 dir name
  for f in "${app[@]}"; do
    dir=$(dirname "$root/$f")
    name=$(sed -n -E 's/^name:[[:space:]]*"?([^"#]*[^"# ])"?[[:space:]]*(#.*)?$/\1/p' "$root/$f" | head -1)
    [ -f "$dir/dev-$name.hprof" ] || [ -f "$dir/profiles/dev-$name.hprof" ] || all=0
  done
  if [ $all -eq 1 ]; then check "$label" "app -P dev" "$root" "${args[@]}" -P dev; fi
}
for d in "$corpus"/examples/*/; do
  folder=examples/$(basename "$d")
  if grep -rqs '{{' --include='*.hspec' "$d"; then run_app "$tmp/filled" "$(basename "$d")" "filled $folder/"
  else run_app "$corpus" "$folder" "$folder/"; fi
done

# The strict schema test over everything generated.
if [ -d "$tmp/out" ] && [ "$generated" -gt 0 ]; then
  if ! node "$here/schema/validate.mjs" "$tmp/out" >"$tmp/schema.log" 2>&1; then
    echo "FAIL: generated manifests do not pass the strict schema test:"; grep -v '^ok' "$tmp/schema.log" | head -40
    fail=$((fail+1))
  fi
  if ! node "$here/scripts/no-namespace.mjs" "$tmp/out" >"$tmp/ns.log" 2>&1; then
    echo "FAIL: generated without -n, but a namespace is written:"; head -40 "$tmp/ns.log"
    fail=$((fail+1))
  fi
fi

for i in "${!pats[@]}"; do
  if [ "${used[$i]}" -eq 0 ]; then echo "FAIL: stale expectation: ${pats[$i]} | ${vars[$i]} | ${texts[$i]}"; fail=$((fail+1)); fi
done

# Step 3: everything else must not crash.
others=0
while IFS= read -r -d '' f; do
  out=$("$bin" validate service -f "$f" -a corpus 2>&1); rc=$?
  if [ $rc -eq 0 ] || { [ $rc -eq 1 ] && grep -qE ': (error|warning): ' <<<"$out"; }; then
    others=$((others+1))
  else
    echo "FAIL: $f exit $rc"; echo "$out" | head -5; fail=$((fail+1))
  fi
done < <(find "$corpus" -name '*.hspec' -not -path "$corpus/examples/*" -not -path "*/$fixtures/ports/*" \
  -not -path "*/$fixtures/network-policies/*" -print0 | sort -z)

echo "corpus: $pass runs as expected ($generated generated and schema-checked, $refused refused as listed), $others other specs checked, $fail failed"
[ $fail -eq 0 ]
