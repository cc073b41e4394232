#!/usr/bin/env bash
# Writes a synthetic HyScale app of N services into DIR: svc-00001.hspec ... svc-N.hspec.
# The services rotate through every loadBalancer provider (nginx, traefik, istio, gateway)
# and mix TLS, sticky sessions, request headers, several ports and context paths. As in a
# real app, services share hosts (8 per provider, each with one TLS Secret) under paths of
# their own: the app's shared Gateway then holds 16 listeners however many services there
# are (a Gateway holds at most 64, so one host per service stops at 32 services); with
# EXTRAS=1 they also get props and volumes, with PROFILES=1 a HyScale profile each
# (bench-svc-N.hprof, for -P bench). run.sh sets these only when hyscale accepts them without a
# warning, so the bench keeps working as the spec grows.
# Usage: bench/gen.sh N DIR
set -eu
n=$1 dir=$2
extras=${EXTRAS:-0}
profiles=${PROFILES:-0}
mkdir -p "$dir"
providers=(nginx traefik istio gateway)
for ((i = 1; i <= n; i++)); do
	name=$(printf 'svc-%05d' "$i")
	p=${providers[i % 4]}
	{
		printf 'name: %s\n' "$name"
		printf 'image:\n  registry: registry.example.com\n  name: bench/%s\n  tag: "1.%d.0"\n' "$name" "$((i % 50))"
		printf 'replicas: %d\n' "$((1 + i % 3))"
		printf 'startCommand: "node,server.js"\nexternal: true\n'
		printf 'ports:\n  - port: 8080/http\n    healthCheck:\n      httpPath: /healthz\n'
		printf '  - port: 9090/http\n  - port: 5353/udp\n'
		if ((extras)); then
			printf 'props:\n  LOG_LEVEL: info\n  REGION: eu-west-1\n  FEATURE_FLAGS: "a,b,c"\n'
			printf 'volumes:\n  - name: data\n    path: /var/lib/%s\n    size: 1Gi\n' "$name"
		fi
		printf 'loadBalancer:\n  provider: %s\n' "$p"
		[ "$p" = istio ] || printf '  className: %s-class\n' "$p"
		host=$(printf 'h%d-%s.bench.example.com' "$((i / 4 % 8))" "$p")
		printf '  host: %s\n' "$host"
		# Sticky sessions: not on gateway (Standard channel has none; it would warn).
		[ "$p" = gateway ] || { ((i % 2)) && printf '  sticky: true\n' || printf '  sticky:\n    cookie: route\n    ttl: 30m\n'; }
		# TLS: every provider but istio (its credentialName lives with the gateway pods; it warns).
		[ "$p" = istio ] || printf '  tlsSecret: %s-tls\n' "${host%%.*}"
		printf '  mapping:\n    - port: 8080/http\n      contextPaths:\n        - /%s\n        - /%s/api\n' "$name" "$name"
		printf '        - {path: /%s/healthz, match: exact}\n' "$name"
		printf '    - port: 9090/http\n      contextPaths:\n        - /%s/admin\n' "$name"
		# Request headers: not on nginx (only through a snippet annotation; it warns).
		[ "$p" = nginx ] || printf '  headers:\n    X-Service: %s\n    X-Env: bench\n' "$name"
		[ "$p" = istio ] && printf '  labels:\n    istio: ingressgateway\n'
		printf '  annotations:\n    example.com/owner: team-bench\n'  # one value: it reaches the shared Gateway
	} >"$dir/$name.hspec"
	if ((profiles)); then
		printf 'environment: bench\noverrides: %s\nreplicas: %d\n' "$name" "$((2 + i % 3))" >"$dir/bench-$name.hprof"
	fi
done
