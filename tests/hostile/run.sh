#!/usr/bin/env bash
# Hostile-input suite (issue #6). Every line of cases.txt is one input that must be
# answered with its documented exit code and a compiler-style diagnostic at the expected
# position — never a crash, a hang, a sanitizer report, or a change to the output folder.
#
#   tests/hostile/run.sh BUILD/hyscale                  all cases
#   tests/hostile/run.sh BUILD/hyscale CASE...          only these
#   HOSTILE_WRAP="valgrind ..." tests/hostile/run.sh …  run the tool under a wrapper
#
# cases.txt columns (separated by ' | '):
#   case      cases/<case>.hspec, or gen-* made by make_case() below
#   exit      expected exit code (README "Exit codes")
#   where     line:col of the diagnostic (file:line:col with several inputs), or '-' for
#             an error about the file itself (it cannot be opened or read), or 'usage'
#             for a command-line error
#   message   text that diagnostic must contain
#   args      extra options (optional)
#   output    text one of the written files must contain, for exit-0 cases (optional)
# For each case the tool runs twice: with -O into a folder holding a previous run's
# manifests (which must come out byte-identical, with no temporary folder left beside
# them, unless the exit code is 0), and with --stdout (which must print nothing on failure).
set -u
bin=$(realpath "$1"); shift
root=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d); trap 'chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
wrap=${HOSTILE_WRAP:-}
only=("$@")
pass=0; fail=0; skip=0

# Inputs that cannot be stored as files in git: made fresh in $1 for case $2; prints the
# path to give to -f (relative to $1).
make_case() {
  local d=$1 c=$2 base
  base=$(printf 'name: web\nimage:\n  name: nginx\n  tag: "1.25"\nexternal: true\nports:\n  - port: 80/http\n')
  case $c in
    gen-missing-file) echo "nope.hspec" ;;
    gen-directory) mkdir "$d/web.hspec"; echo "web.hspec" ;;
    gen-symlink-loop) ln -s b.hspec "$d/a.hspec"; ln -s a.hspec "$d/b.hspec"; echo "a.hspec" ;;
    gen-dangling-symlink) ln -s gone.hspec "$d/web.hspec"; echo "web.hspec" ;;
    gen-fifo)  # a named pipe is read as a spec (both runs read one write each)
      mkfifo "$d/web.hspec"; (for _ in 1 2; do printf '%s\n' "$base" >"$d/web.hspec"; sleep 1; done) >/dev/null 2>&1 &
      echo "web.hspec" ;;
    gen-device) echo "/dev/zero" ;;
    gen-unreadable) printf '%s\n' "$base" >"$d/web.hspec"; chmod 000 "$d/web.hspec"; echo "web.hspec" ;;
    gen-path-too-long) echo "$(head -c 5000 </dev/zero | tr '\0' x).hspec" ;;
    gen-huge-file) { printf '%s\n' "$base"; head -c $((5 * 1024 * 1024)) </dev/zero | tr '\0' '#'; } >"$d/web.hspec"; echo "web.hspec" ;;
    gen-huge-valid)  # just under the 4 MiB limit: accepted, and quickly
      { printf '%s\n' "$base"; for _ in $(seq 64); do head -c 65000 </dev/zero | tr '\0' '#'; echo; done; } >"$d/web.hspec"; echo "web.hspec" ;;
    gen-alias-budget)  # 1000 mappings × 1000 paths through aliases: 1 000 000 reads from 40 KB
      { printf '%s\n' "$base"; printf 'paths: &ps [%s/a]\n' "$(head -c 999 </dev/zero | tr '\0' 'x' | sed 's|x|/a,|g')"
        printf 'one: &m {port: 80, contextPaths: *ps}\nloadBalancer:\n  provider: nginx\n  host: a.example.com\n  mapping: [%s*m]\n' \
          "$(head -c 999 </dev/zero | tr '\0' 'x' | sed 's|x|*m,|g')"; } >"$d/web.hspec"; echo "web.hspec" ;;
    gen-many-errors)  # 1000 wrong paths (the most one list may hold): every one reported
      { printf '%s\n' "$base"; printf 'loadBalancer:\n  provider: nginx\n  host: a.example.com\n  mapping:\n    - port: 80\n      contextPaths:\n';
        head -c 1000 </dev/zero | tr '\0' 'x' | sed 's/x/        - x\n/g'; } >"$d/web.hspec"; echo "web.hspec" ;;
    gen-too-many-items)  # one list over the limit
      { printf '%s\n' "$base"; printf 'loadBalancer:\n  provider: nginx\n  host: a.example.com\n  mapping:\n    - port: 80\n      contextPaths:\n';
        head -c 1001 </dev/zero | tr '\0' 'x' | sed 's|x|        - /a\n|g'; } >"$d/web.hspec"; echo "web.hspec" ;;
    gen-huge-mapping)  # 300 000 keys in one flow mapping (3 MB): libfyaml's own duplicate
      # check compared every pair of keys (45 minutes); ours sorts
      { printf '%s\n' "$base"; printf 'x: {'; seq -f 'k%g: 1,' 300000 | tr -d '\n'; printf 'k: 1}\n'; } >"$d/web.hspec"; echo "web.hspec" ;;
    gen-many-big-mappings)  # 3000 mappings of 999 keys each (within the limits): still fast
      { printf '%s\n' "$base"; printf 'x:\n'; for i in $(seq 300); do printf '  - {%s}\n' "$(seq -f 'k%g: 1' -s, 999)"; done; } >"$d/web.hspec"; echo "web.hspec" ;;
    gen-too-many-routes)  # 40 mappings × 30 paths: within the list limit, over the route limit
      { printf '%s\n' "$base"; printf 'loadBalancer:\n  provider: nginx\n  host: a.example.com\n  mapping:\n'
        for i in $(seq 40); do printf '    - port: 80\n      contextPaths: [%s/z]\n' "$(seq -f "/p$i-%g," 29 | tr -d '\n')"; done; } >"$d/web.hspec"; echo "web.hspec" ;;
    gen-too-many-specs)
      # Short names: one -f argument may not exceed 128 KiB.
      for i in $(seq 10001); do printf 'name: web%d\nimage:\n  name: nginx\n' "$i" >"$d/$i.hspec"; done
      (cd "$d" && ls *.hspec | sort -V | paste -sd,) ;;
    gen-many-services)  # two hundred specs in one run
      for i in $(seq 200); do printf 'name: web%d\nimage:\n  name: nginx\n' "$i" >"$d/web$i.hspec"; done
      printf 'name: web\nimage: [broken]\n' >"$d/web.hspec"
      (cd "$d" && ls web*.hspec | sort -V | paste -sd,) ;;
    gen-same-service-twice) printf '%s\n' "$base" >"$d/web.hspec"; mkdir "$d/b"; printf '%s\n' "$base" >"$d/b/web.hspec"; echo "web.hspec,b/web.hspec" ;;
    # -- issue 11: generation bounds and YAML every reader reads the same
    gen-hosts-times-paths)  # the issue's 39 KB spec: 1,000 hosts × 1,000 paths (109 s and 10 GB for Traefik)
      { printf '%s\n' "$base"; printf 'loadBalancer:\n  provider: traefik\n  hosts:\n'; seq -f '    - h%g.example.com' 1000
        printf '  mapping:\n    - port: 80\n      contextPaths:\n'; seq -f '        - /p%g' 1000; } >"$d/web.hspec"; echo "web.hspec" ;;
    gen-object-too-large)  # 100 hosts × 50 paths of 20 characters: a 1.6 MB Ingress
      { printf '%s\n' "$base"; printf 'loadBalancer:\n  provider: traefik\n  hosts:\n'; seq -f '    - h%g.example.com' 100
        printf '  mapping:\n    - port: 80\n      contextPaths:\n'; seq -f '        - /some/longer/path/p%g' 50; } >"$d/web.hspec"; echo "web.hspec" ;;
    gen-annotations-over-limit)  # 3 × 100 000 bytes of annotations on one object (the limit is 256 KiB)
      { printf '%s\n' "$base"; printf 'loadBalancer:\n  provider: nginx\n  host: a.example.com\n  mapping:\n    - port: 80\n      contextPaths: [/]\n  annotations:\n'
        for i in 1 2 3; do printf '    a.example.com/v%d: %s\n' "$i" "$(head -c 100000 </dev/zero | tr '\0' v)"; done; } >"$d/web.hspec"; echo "web.hspec" ;;
    gen-names-collide)  # two names, one object name and selector label
      printf 'name: a-b\nimage:\n  name: nginx\n' >"$d/a-b.hspec"; printf 'name: A.b\nimage:\n  name: nginx\n' >"$d/A.b.hspec"; echo "a-b.hspec,A.b.hspec" ;;
    gen-snippet-namespace)  # a snippet that moves the generated Deployment to kube-system
      printf '%s\nk8sSnippets: [s.yaml]\n' "$base" >"$d/web.hspec"; printf 'kind: Deployment\nmetadata:\n  namespace: kube-system\n' >"$d/s.yaml"; echo "web.hspec" ;;
    gen-snippet-standalone-namespace)  # an object of its own in another namespace
      printf '%s\nk8sSnippets: [s.yaml]\n' "$base" >"$d/web.hspec"
      printf 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n  namespace: kube-system\n' >"$d/s.yaml"; echo "web.hspec" ;;
    gen-snippet-yaml11-boolean)  # `on` is a string to hyscale (YAML 1.2), true to kubectl (YAML 1.1)
      printf '%s\nk8sSnippets: [s.yaml]\n' "$base" >"$d/web.hspec"
      printf 'kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          env:\n            - name: A\n              value: on\n' >"$d/s.yaml"; echo "web.hspec" ;;
    *) return 1 ;;
  esac
}

# A digest of the output folder: names, types and contents of everything in it.
tree_digest() { (cd "$1" && find . -printf '%y %p\n' | LC_ALL=C sort && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r cat) | md5sum; }

while IFS= read -r line; do
  [[ -z "$line" || "$line" == \#* ]] && continue
  IFS='|' read -r c want where msg args expect <<<"$line"
  trim() { local v=$1; v=${v#"${v%%[! ]*}"}; printf -v "$2" '%s' "${v%"${v##*[! ]}"}"; }
  trim "$c" c; trim "$want" want; trim "$where" where; trim "${msg:-}" msg; trim "${args:-}" args; trim "${expect:-}" expect
  if [ ${#only[@]} -gt 0 ] && [[ ! " ${only[*]} " == *" $c "* ]]; then continue; fi
  d="$tmp/$c"; mkdir -p "$d/in"
  if [ -f "$root/cases/$c.hspec" ]; then
    cp "$root/cases/$c.hspec" "$d/in/web.hspec"; f=web.hspec
  elif ! f=$(make_case "$d/in" "$c"); then
    echo "FAIL: $c: no cases/$c.hspec and no generator"; fail=$((fail+1)); continue
  fi
  f=$(tail -1 <<<"$f")
  runas=()
  if [ "$c" = gen-unreadable ] && [ "$(id -u)" -eq 0 ]; then
    # root reads a mode-000 file anyway: test as an unprivileged user, or say we did not.
    if command -v setpriv >/dev/null && setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$bin" 2>/dev/null; then
      runas=(setpriv --reuid=65534 --regid=65534 --clear-groups); chmod 777 "$d" "$d/in"
    else
      echo "SKIP: $c (running as root without setpriv: a mode-000 file is readable)"; skip=$((skip+1)); continue
    fi
  fi
  out="$d/out"; mkdir -p "$out/web" "$out/other"
  # A previous run's folders, as the version before the .hyscale marker wrote them (README "Safety rules")
  printf 'previous: keep me\n  app.kubernetes.io/managed-by: hyscale\n' >"$out/web/deployment.yaml"; echo "other" >"$out/other/service.yaml"
  [ ${#runas[@]} -gt 0 ] && chmod -R 777 "$out"
  before=$(tree_digest "$out")
  # shellcheck disable=SC2086
  (cd "$d/in" && exec timeout 60 "${runas[@]}" $wrap "$bin" generate service manifests -f "$f" -a app -O "$out" $args) \
    >"$d/stdout" 2>"$d/stderr"
  rc=$?
  # shellcheck disable=SC2086
  (cd "$d/in" && exec timeout 60 "${runas[@]}" $wrap "$bin" generate service manifests -f "$f" -a app --stdout $args) \
    >"$d/stdout2" 2>"$d/stderr2"
  rc2=$?
  why=""
  if [ $rc -eq 124 ] || [ $rc2 -eq 124 ]; then why="hang (killed after 60 s)"
  elif [ $rc -ge 128 ] || [ $rc2 -ge 128 ]; then why="killed by signal $((rc >= 128 ? rc - 128 : rc2 - 128))"
  elif grep -qE 'Sanitizer|runtime error:|==[0-9]+==|Invalid (read|write)|definitely lost' "$d/stderr" "$d/stderr2"; then why="sanitizer or valgrind report"
  elif [ "$rc" != "$want" ]; then why="exit code $rc, expected $want"
  elif [ "$rc2" != "$want" ]; then why="--stdout: exit code $rc2, expected $want"
  fi
  if [ -z "$why" ]; then
    if [ "$where" = "usage" ]; then prefix="hyscale: error: "
    elif [ "$where" = "-" ]; then prefix="$f: error: "
    elif [[ "$where" == *:*:* ]]; then prefix="$where: error: "   # file:line:col, several inputs
    else prefix="$f:$where: error: "; fi
    if [ -n "$msg" ] && ! grep -F -- "$prefix" "$d/stderr" | grep -qF -- "$msg"; then
      why="no diagnostic '$prefix…$msg'"
    elif [ "$want" != 0 ] && [ "$(tree_digest "$out")" != "$before" ]; then
      why="the output folder changed although the run failed"
    elif [ "$want" != 0 ] && [ -s "$d/stdout2" ]; then
      why="--stdout printed manifests although the run failed"
    elif [ "$want" = 0 ] && [ "$(tree_digest "$out")" = "$before" ]; then
      why="exit 0 but nothing was written"
    elif [ -n "$expect" ] && ! grep -rqF -- "$expect" "$out/web"; then
      why="the written manifests lack: $expect"
    elif ls -a "$out" | grep -q 'hyscale-'; then
      why="a temporary folder was left behind: $(ls -a "$out" | grep hyscale- | head -1)"
    fi
  fi
  if [ -n "$why" ]; then
    echo "FAIL: hostile/$c: $why"; sed 's/^/    /' "$d/stderr" | cut -c1-300 | head -8; fail=$((fail+1))
  else
    pass=$((pass+1))
  fi
done <"$root/cases.txt"
echo "hostile: $pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
