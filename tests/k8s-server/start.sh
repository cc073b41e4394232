#!/bin/sh
# Starts the Kubernetes API test server on 127.0.0.1 (a free port) in the background and writes
# DIR/kubeconfig; `start.sh --stop DIR` stops it. Needs node and openssl (scripts/setup.sh).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if [ "${1:-}" = "--stop" ]; then
  dir=${2:?usage: start.sh --stop DIR}
  [ -f "$dir/pid" ] || { echo "no server started in $dir" >&2; exit 1; }
  kill "$(cat "$dir/pid")" 2>/dev/null || true
  rm -f "$dir/pid" "$dir/port"
  echo "stopped"
  exit 0
fi
dir=${1:?usage: start.sh DIR   (then: start.sh --stop DIR)}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
if [ -f "$dir/pid" ] && kill -0 "$(cat "$dir/pid")" 2>/dev/null; then
  echo "already running (pid $(cat "$dir/pid")); stop it with: $0 --stop $dir" >&2
  exit 1
fi
rm -f "$dir/port"
nohup node "$here/cli.mjs" "$dir" >"$dir/server.log" 2>&1 &
echo $! >"$dir/pid"
i=0
while [ ! -s "$dir/port" ]; do
  i=$((i + 1))
  if [ $i -gt 100 ] || ! kill -0 "$(cat "$dir/pid")" 2>/dev/null; then
    echo "the server did not start; see $dir/server.log" >&2
    cat "$dir/server.log" >&2
    exit 1
  fi
  sleep 0.1
done
cat <<MSG
Kubernetes API test server running on https://127.0.0.1:$(cat "$dir/port") (pid $(cat "$dir/pid"), log $dir/server.log)

  export KUBECONFIG=$dir/kubeconfig
  kubectl get ns
  build/hyscale deploy service -f examples/<app>/<service>.hspec -a <app> -n <namespace>
  kubectl get deploy,rs,pods,svc -n <namespace>
  kubectl rollout status deployment/<service> -n <namespace>
  build/hyscale undeploy app -a <app> -n <namespace>

Read-only user: KUBECONFIG=$dir/kubeconfig-viewer. Test hooks (admin): curl --cert $dir/admin.crt --key $dir/admin.key --cacert $dir/ca.crt https://127.0.0.1:$(cat "$dir/port")/_test/log
Stop it with: $0 --stop $dir
MSG
