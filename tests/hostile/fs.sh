#!/usr/bin/env bash
# Files hyscale writes, deletes and reads, against planted files (issue #11, README
# "Safety rules"): links and foreign folders where output goes, planted temporaries,
# concurrent runs, -O "" and no HOME, Secret modes, and file(...) props / k8sSnippets
# that try to read outside the spec's folder, /proc, FIFOs and devices.
#
#   tests/hostile/fs.sh BUILD/hyscale BUILD/tests/libhs_fault.so [CASE...]
set -u
bin=$(realpath "$1"); shim=$(realpath "$2"); shift 2
only=" $* "
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0"
pass=0; fail=0
digest() { (cd "$1" && find . -printf '%y %p %l\n' | LC_ALL=C sort && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r cat) | md5sum; }
want() { [ "$only" = "  " ] || [[ "$only" == *" $1 "* ]]; }
ok() { pass=$((pass+1)); }
bad() { echo "FAIL: fs/$1: $2"; sed 's/^/    /' "$tmp/stderr" 2>/dev/null | head -5; fail=$((fail+1)); }
san() { grep -qE 'Sanitizer|runtime error' "$tmp/stderr"; }
# A pid no process has: planted temporaries are "left by a dead run".
dead=4000000; while kill -0 $dead 2>/dev/null; do dead=$((dead+1)); done

spec() {  # $1 dir, $2 replicas, rest: extra lines for web
  local d=$1 r=$2; shift 2; mkdir -p "$d"
  for s in web api; do
    printf 'name: %s\nimage:\n  name: nginx\n  tag: "1.25"\nreplicas: %s\nports:\n  - port: 80/http\n' "$s" "$r" >"$d/$s.hspec"
  done
  for l in "$@"; do printf '%s\n' "$l" >>"$d/web.hspec"; done
}
gen() {  # $1 spec dir, rest: arguments; stdout/stderr to $tmp
  local d=$1; shift
  (cd "$d" && timeout 60 "$bin" generate service manifests -f web.hspec,api.hspec -a app "$@" >"$tmp/stdout" 2>"$tmp/stderr")
}
spec "$tmp/v1" 1; spec "$tmp/v2" 2
gen "$tmp/v1" -O "$tmp/ref-v1" || { echo "FAIL: fs: reference run"; cat "$tmp/stderr"; exit 1; }
gen "$tmp/v2" -O "$tmp/ref-v2" || { echo "FAIL: fs: reference run"; cat "$tmp/stderr"; exit 1; }
victim() { rm -rf "$1"; mkdir -p "$1/sub"; echo precious >"$1/data.txt"; echo deep >"$1/sub/more.txt"; }

# -- output folders: what is replaced or deleted
if want symlinked-service-folder; then
  v="$tmp/victim1"; victim "$v"; before=$(digest "$v")
  o="$tmp/o1"; rm -rf "$o"; cp -a "$tmp/ref-v1" "$o"; rm -rf "$o/web"; ln -s "$v" "$o/web"
  gen "$tmp/v2" -O "$o"; rc=$?
  if [ $rc -ne 3 ]; then bad symlinked-service-folder "exit $rc, expected 3"
  elif [ "$(digest "$v")" != "$before" ]; then bad symlinked-service-folder "the link's target changed"
  elif [ ! -L "$o/web" ]; then bad symlinked-service-folder "the link was replaced"
  elif ! grep -qF "$o/web: error: refusing to replace $o/web: it is a symbolic link" "$tmp/stderr"; then bad symlinked-service-folder "no error naming the link"
  elif [ "$(digest "$o/api")" != "$(digest "$tmp/ref-v1/api")" ]; then bad symlinked-service-folder "api was written although the run failed"
  else ok; fi
fi
for k in tmp old; do
  c=planted-$k-symlink; want $c || continue
  v="$tmp/victim-$k"; victim "$v"; before=$(digest "$v")
  o="$tmp/o-$k"; rm -rf "$o"; cp -a "$tmp/ref-v1" "$o"
  [ $k = old ] && rm -rf "$o/web"   # as if killed mid-swap: the recovery would "put it back"
  ln -s "$v" "$o/web.hyscale-$k-$dead"
  gen "$tmp/v2" -O "$o"; rc=$?
  if [ $rc -ne 0 ]; then bad $c "exit $rc, expected 0 (the planted link is left alone)"
  elif [ "$(digest "$v")" != "$before" ]; then bad $c "the planted link's target changed"
  elif [ ! -L "$o/web.hyscale-$k-$dead" ]; then bad $c "the planted link was removed or moved"
  elif [ "$(digest "$o/web")" != "$(digest "$tmp/ref-v2/web")" ] || [ -L "$o/web" ]; then bad $c "web is not the new output"
  else ok; fi
done
if want planted-tmp-foreign-folder; then
  o="$tmp/o-ftmp"; rm -rf "$o"; cp -a "$tmp/ref-v1" "$o"; victim "$o/web.hyscale-tmp-$dead"; before=$(digest "$o/web.hyscale-tmp-$dead")
  gen "$tmp/v2" -O "$o"; rc=$?
  if [ $rc -ne 0 ] || [ "$(digest "$o/web.hyscale-tmp-$dead")" != "$before" ]; then bad planted-tmp-foreign-folder "exit $rc; a folder hyscale did not write was deleted or changed"
  else ok; fi
fi
if want stale-own-temporary; then  # a real leftover of a killed run is still cleaned up
  o="$tmp/o-stale"; rm -rf "$o"; cp -a "$tmp/ref-v1" "$o"; cp -a "$tmp/ref-v1/web" "$o/web.hyscale-tmp-$dead"
  gen "$tmp/v2" -O "$o"; rc=$?
  if [ $rc -ne 0 ] || [ -e "$o/web.hyscale-tmp-$dead" ]; then bad stale-own-temporary "exit $rc; leftover kept"; else ok; fi
fi
if want foreign-folder-dot; then
  p="$tmp/project"; rm -rf "$p"; mkdir -p "$p/web/src"; echo 'int main(void){}' >"$p/web/src/main.c"; cp "$tmp"/v2/*.hspec "$p/"
  before=$(digest "$p/web")
  gen "$p" -O .; rc=$?
  if [ $rc -ne 3 ]; then bad foreign-folder-dot "exit $rc, expected 3"
  elif [ "$(digest "$p/web")" != "$before" ]; then bad foreign-folder-dot "the source folder changed"
  elif [ -e "$p/api" ] || ls -a "$p" | grep -q 'hyscale-tmp\|hyscale-old'; then bad foreign-folder-dot "something was written"
  elif ! grep -qF "./web: error: refusing to replace ./web: it holds 'src', which hyscale did not write" "$tmp/stderr"; then bad foreign-folder-dot "no error naming the folder"
  elif ! grep -qF -- "-O DIR" "$tmp/stderr"; then bad foreign-folder-dot "the error does not name the fix"
  else ok; fi
fi
if want file-at-service-path; then
  o="$tmp/o-file"; rm -rf "$o"; mkdir -p "$o"; echo notes >"$o/web"
  gen "$tmp/v2" -O "$o"; rc=$?
  if [ $rc -ne 3 ] || [ "$(cat "$o/web")" != notes ] || [ -e "$o/api" ]; then bad file-at-service-path "exit $rc; the file was replaced or api written"
  elif ! grep -qF "it is a file, not a folder hyscale wrote" "$tmp/stderr"; then bad file-at-service-path "no error"
  else ok; fi
fi
if want legacy-folder; then  # the previous version's output (no marker) is still replaced
  o="$tmp/o-legacy"; rm -rf "$o"; cp -a "$tmp/ref-v1" "$o"; rm "$o/web/.hyscale" "$o/api/.hyscale"
  gen "$tmp/v2" -O "$o"; rc=$?
  if [ $rc -ne 0 ] || [ "$(digest "$o/web")" != "$(digest "$tmp/ref-v2/web")" ]; then bad legacy-folder "exit $rc; not replaced"; else ok; fi
fi
if want marker-written; then
  if [ "$(head -1 "$tmp/ref-v1/web/.hyscale")" != "hyscale output folder" ]; then bad marker-written "no marker in a written folder"; else ok; fi
fi
if want empty-output-dir; then
  (cd "$tmp/v2" && timeout 60 "$bin" generate service manifests -f web.hspec -a app -O "" >"$tmp/stdout" 2>"$tmp/stderr"); rc=$?
  if [ $rc -ne 2 ] || ! grep -qF 'hyscale: error: -O needs a folder' "$tmp/stderr"; then bad empty-output-dir "exit $rc, expected 2 with a usage error"; else ok; fi
fi
for h in unset empty; do
  c=home-$h; want $c || continue
  w="$tmp/cwd-$h"; rm -rf "$w"; mkdir -p "$w"; cp "$tmp"/v2/*.hspec "$w/"
  if [ $h = unset ]; then e=(env -u HOME); else e=(env HOME=); fi
  (cd "$w" && "${e[@]}" timeout 60 "$bin" generate service manifests -f web.hspec -a app >"$tmp/stdout" 2>"$tmp/stderr"); rc=$?
  if [ $rc -ne 2 ]; then bad $c "exit $rc, expected 2"
  elif [ "$(ls "$w" | wc -l)" != 2 ]; then bad $c "wrote into the working directory: $(ls "$w" | tr '\n' ' ')"
  elif ! grep -qF 'HOME is not set' "$tmp/stderr" || ! grep -qF -- '-O DIR' "$tmp/stderr"; then bad $c "the error does not name the fix"
  else ok; fi
done
if want secret-mode; then
  spec "$tmp/sec" 1 'secrets:' '  PASSWORD: hunter2'
  o="$tmp/o-sec"; rm -rf "$o"
  (umask 022; gen "$tmp/sec" -O "$o"); rc=$?
  if [ $rc -ne 0 ]; then bad secret-mode "exit $rc"
  elif [ "$(stat -c %a "$o/web/secret.yaml")" != 600 ]; then bad secret-mode "secret.yaml is $(stat -c %a "$o/web/secret.yaml"), expected 600"
  elif [ "$(stat -c %a "$o/web/deployment.yaml")" != 644 ]; then bad secret-mode "deployment.yaml is $(stat -c %a "$o/web/deployment.yaml")"
  else ok; fi
fi
if want concurrent-runs; then
  # Run A stops for 3 s between swapping web and api; run B starts then. Without a lock the
  # end state is web from B and api from A: a mix. With it B waits and both succeed.
  o="$tmp/o-conc"; rm -rf "$o"; cp -a "$tmp/ref-v2" "$o"
  (cd "$tmp/v1" && LD_PRELOAD="$shim" HS_FAULT=rename:3:SLEEP3 timeout 60 "$bin" generate service manifests -f web.hspec,api.hspec -a app -O "$o" >"$tmp/a.out" 2>"$tmp/a.err") &
  apid=$!
  for _ in $(seq 200); do ls "$o" | grep -q 'web.hyscale-old-' && break; sleep 0.05; done
  gen "$tmp/v2" -O "$o"; rcb=$?
  wait $apid; rca=$?
  s=$(digest "$o")
  if [ $rca -ne 0 ] || [ $rcb -ne 0 ]; then bad concurrent-runs "exits $rca and $rcb, expected 0 and 0"; cat "$tmp/a.err"
  elif [ "$s" != "$(digest "$tmp/ref-v2")" ] && [ "$s" != "$(digest "$tmp/ref-v1")" ]; then
    bad concurrent-runs "the output is a mix: web $(grep -h replicas "$o/web/deployment.yaml" | tr -d ' '), api $(grep -h replicas "$o/api/deployment.yaml" | tr -d ' ')"
  else ok; fi
fi
if want lock-held; then
  o="$tmp/o-lock"; rm -rf "$o"; cp -a "$tmp/ref-v1" "$o"; touch "$o/.hyscale.lock"; before=$(digest "$o")
  exec 9<"$o/.hyscale.lock"; flock -n 9   # held by this shell: no process to clean up
  gen "$tmp/v2" -O "$o"; rc=$?
  exec 9<&-
  if [ $rc -ne 3 ] || [ "$(digest "$o")" != "$before" ]; then bad lock-held "exit $rc, expected 3 with nothing written"
  elif ! grep -qF "another hyscale run is writing to $o" "$tmp/stderr"; then bad lock-held "no clear error"
  else ok; fi
fi
if want lock-symlink; then
  o="$tmp/o-locklink"; rm -rf "$o"; cp -a "$tmp/ref-v1" "$o"; echo keep >"$tmp/lock-victim"; rm -f "$o/.hyscale.lock"; ln -s "$tmp/lock-victim" "$o/.hyscale.lock"
  gen "$tmp/v2" -O "$o"; rc=$?
  if [ $rc -ne 3 ] || [ "$(cat "$tmp/lock-victim")" != keep ] || ! grep -qF "it is a symbolic link" "$tmp/stderr"; then bad lock-symlink "exit $rc"; else ok; fi
fi

# -- files a spec reads: file(...) props and k8sSnippets
t="$tmp/tree"; rm -rf "$t"; mkdir -p "$t/proj/svc/conf" "$t/proj/svc/profiles"
echo 'TOP SECRET' >"$t/secret.txt"; echo 'app=1' >"$t/proj/svc/conf/app.conf"
printf 'kind: Deployment\nspec:\n  replicas: 7\n' >"$t/snip.yaml"; cp "$t/snip.yaml" "$t/proj/svc/conf/snip.yaml"
ln -s ../../../secret.txt "$t/proj/svc/conf/escape.conf"; ln -s app.conf "$t/proj/svc/conf/inside.conf"
ln -s ../../../snip.yaml "$t/proj/svc/conf/escape.yaml"
mkfifo "$t/proj/svc/conf/fifo"
# case | value on line 8 (props: app.conf, or k8sSnippets) | options | exit | message
while IFS='|' read -r c kind val opts rc_want msg; do
  [ -z "$c" ] && continue
  want "$c" || continue
  if [ "$kind" = props ]; then line="props: {app.conf: \"file($val)\"}"; col=19; field=props.app.conf
  else line="k8sSnippets: [\"$val\"]"; col=15; field='k8sSnippets[0]'; fi
  printf 'name: web\nimage:\n  name: nginx\n  tag: "1.25"\nports:\n  - port: 80/http\npropsVolumePath: /etc/web\n%s\n' "$line" >"$t/proj/svc/web.hspec"
  # shellcheck disable=SC2086
  (cd "$t/proj/svc" && timeout 20 "$bin" generate service manifests -f web.hspec -a app --stdout $opts >"$tmp/stdout" 2>"$tmp/stderr"); rc=$?
  if [ $rc -eq 124 ]; then bad "$c" "hung (killed after 20 s)"
  elif san; then bad "$c" "sanitizer report"
  elif [ "$rc" != "$rc_want" ]; then bad "$c" "exit $rc, expected $rc_want"
  elif [ "$rc_want" != 0 ] && ! grep -F "web.hspec:8:$col: error: $field: cannot read" "$tmp/stderr" | grep -qF -- "$msg"; then bad "$c" "no error 'web.hspec:8:$col: error: $field: cannot read …$msg'"
  elif [ "$rc_want" != 0 ] && grep -qF 'TOP SECRET' "$tmp/stdout" "$tmp/stderr"; then bad "$c" "the outside file's content got out"
  elif [ "$rc_want" = 0 ] && [ -n "$msg" ] && ! grep -qF -- "$msg" "$tmp/stdout"; then bad "$c" "output lacks '$msg'"
  else ok; fi
done <<CASES
props-dotdot|props|../../secret.txt||1|outside the folder of the spec
props-absolute-outside|props|$t/secret.txt||1|outside the folder of the spec
props-symlink-escape|props|conf/escape.conf||1|outside the folder of the spec
props-proc-environ|props|/proc/self/environ||1|outside the folder of the spec
props-proc-environ-allowed|props|/proc/self/environ|--allow-outside-files|1|kernel file system
props-fifo|props|conf/fifo||1|not a regular file
props-fifo-outside-allowed|props|$t/proj/svc/conf/fifo|--allow-outside-files|1|not a regular file
props-dev-zero|props|/dev/zero|--allow-outside-files|1|not a regular file
props-dev-zero-confined|props|/dev/zero||1|outside the folder of the spec
props-inside-symlink|props|conf/inside.conf||0|YXBwPTEK
props-dotdot-allowed|props|../../secret.txt|--allow-outside-files|0|VE9QIFNFQ1JFVAo=
snippet-dotdot|snippets|../../snip.yaml||1|outside the folder of the spec
snippet-absolute-outside|snippets|$t/snip.yaml||1|outside the folder of the spec
snippet-symlink-escape|snippets|conf/escape.yaml||1|outside the folder of the spec
snippet-proc-environ|snippets|/proc/self/environ|--allow-outside-files|1|kernel file system
snippet-fifo|snippets|conf/fifo||1|not a regular file
snippet-inside|snippets|conf/snip.yaml||0|replicas: 7
snippet-dotdot-allowed|snippets|../../snip.yaml|--allow-outside-files|0|replicas: 7
CASES
# A profile elsewhere may read beside itself; the spec's folder stays allowed too.
if want profile-own-folder; then
  mkdir -p "$t/profiles-elsewhere"; echo 'prod=1' >"$t/profiles-elsewhere/prod.conf"
  printf 'name: web\nimage:\n  name: nginx\n  tag: "1.25"\nports:\n  - port: 80/http\n' >"$t/proj/svc/web.hspec"
  printf 'environment: prod\noverrides: web\npropsVolumePath: /etc/web\nprops:\n  p.conf: file(prod.conf)\n  a.conf: file(../proj/svc/conf/app.conf)\n  s.conf: file(../secret.txt)\n' >"$t/profiles-elsewhere/prod.hprof"
  (cd "$t/proj/svc" && timeout 20 "$bin" generate service manifests -f web.hspec -a app --stdout -p "$t/profiles-elsewhere/prod.hprof" >"$tmp/stdout" 2>"$tmp/stderr"); rc=$?
  if [ $rc -ne 1 ] || grep -qF 'error: props.p.conf' "$tmp/stderr" || grep -qF 'error: props.a.conf' "$tmp/stderr" || ! grep -qF "prod.hprof:7:11: error: props.s.conf: cannot read" "$tmp/stderr"; then
    bad profile-own-folder "exit $rc: only s.conf (outside both folders) must be refused"; else ok; fi
fi

echo "fs: $pass passed, $fail failed"
[ $fail -eq 0 ]
