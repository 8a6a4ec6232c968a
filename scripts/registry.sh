#!/usr/bin/env bash
# Two real image registries (Debian's docker-registry, distribution 2.8) on private 127.0.0.1 ports
# under the engines' folder, for the pull tests: one open, one behind basic auth (htpasswd). The
# test images are pushed to them through the test Docker engine (scripts/engines.sh starts it).
#
#   scripts/registry.sh start   start both (or reuse them), push the test images; prints export lines
#   scripts/registry.sh env     print the export lines (registries must be up)
#   scripts/registry.sh stop    stop both (their data goes with the engines' folder)
#
# Images: gantry/busybox:1 (the busybox layer), gantry/layers:1 (busybox plus two layers of 3 and
# 5 MB), gantry/big:1 (busybox plus one 48 MB layer, for cancelling mid-pull). The auth registry
# holds gantry/busybox:1 and gantry/layers:1; its user is gantry-test with a random password, and
# it is marked insecure in the Podman engine's registries.conf (the open one is not).
set -euo pipefail

DIR=${GANTRY_ENGINES_DIR:-/tmp/gantry-engines}
DSOCK=$DIR/docker.sock
USER_NAME=gantry-test

say() { echo "registry: $*" >&2; }
die() { say "$*"; exit 1; }
docker_() { DOCKER_CONFIG=$DIR/registry-client docker -H "unix://$DSOCK" "$@"; }

install() {
  command -v docker-registry >/dev/null 2>&1 && command -v htpasswd >/dev/null 2>&1 && return 0
  [ "$(id -u)" = 0 ] || { say "cannot install docker-registry and apache2-utils: not root"; exit 3; }
  say "installing docker-registry apache2-utils"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-registry apache2-utils >&2 ||
    { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-registry apache2-utils >&2; }
}

port_of() { cat "$DIR/registry-$1/port" 2>/dev/null || true; }
answers() { # name: the registry's /v2/ answers (200 open, 401 behind auth)
  local p code
  p=$(port_of "$1")
  [ -n "$p" ] || return 1
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$p/v2/" || true)
  [ "$code" = 200 ] || [ "$code" = 401 ]
}

start_one() { # name, extra config
  local d=$DIR/registry-$1 i
  answers "$1" && return 0
  mkdir -p "$d/data"
  rm -f "$d/port" "$d/log"
  cat >"$d/config.yml" <<CONF
version: 0.1
log:
  level: info
storage:
  filesystem:
    rootdirectory: $d/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:0
$2
CONF
  setsid docker-registry serve "$d/config.yml" >>"$d/log" 2>&1 </dev/null &
  echo $! >"$d/pid"
  # Port 0: the registry picks a free port and logs it.
  for ((i = 0; i < 100; i++)); do
    if grep -q 'listening on 127.0.0.1:' "$d/log" 2>/dev/null; then
      grep -o 'listening on 127.0.0.1:[0-9]*' "$d/log" | head -1 | sed 's/.*://' >"$d/port"
      answers "$1" && return 0
    fi
    sleep 0.1
  done
  say "the $1 registry did not start; the last lines of $d/log:"
  tail -n 20 "$d/log" >&2 || true
  return 1
}

make_layers() { # tag, sizes in MB...: busybox plus one COPY layer of random bytes per size
  local ctx=$DIR/registry-build n=0 tag=$1
  shift
  rm -rf "$ctx" && mkdir -p "$ctx"
  echo 'FROM busybox:latest' >"$ctx/Dockerfile"
  for mb in "$@"; do
    n=$((n + 1))
    head -c $((mb * 1000 * 1000)) /dev/urandom >"$ctx/blob$n"
    echo "COPY blob$n /data/blob$n" >>"$ctx/Dockerfile"
  done
  echo 'LABEL org.gantry.test=pull' >>"$ctx/Dockerfile"
  # COPY only: the legacy builder needs no network for it (the test dockerd has no bridge).
  DOCKER_BUILDKIT=0 docker_ build -q -t "$tag" "$ctx" >/dev/null 2>&1 || die "could not build $tag"
  rm -rf "$ctx"
}

push_images() {
  local open auth
  open=127.0.0.1:$(port_of open)
  auth=127.0.0.1:$(port_of auth)
  [ -f "$DIR/registry-pushed" ] && [ "$(cat "$DIR/registry-pushed")" = "$open $auth" ] && return 0
  mkdir -p "$DIR/registry-client"
  docker_ tag busybox:latest "$open/gantry/busybox:1"
  make_layers "$open/gantry/layers:1" 3 5
  make_layers "$open/gantry/big:1" 48
  docker_ tag "$open/gantry/busybox:1" "$auth/gantry/busybox:1"
  docker_ tag "$open/gantry/layers:1" "$auth/gantry/layers:1"
  # A private client config: the login never touches the user's ~/.docker.
  cat "$DIR/registry-auth/password" | docker_ login -u "$USER_NAME" --password-stdin "$auth" >/dev/null 2>&1 ||
    die "could not log in to the auth registry at $auth"
  for ref in "$open/gantry/busybox:1" "$open/gantry/layers:1" "$open/gantry/big:1" "$auth/gantry/busybox:1" "$auth/gantry/layers:1"; do
    docker_ push "$ref" >/dev/null || die "could not push $ref"
    docker_ rmi "$ref" >/dev/null
  done
  docker_ logout "$auth" >/dev/null 2>&1 || true
  echo "$open $auth" >"$DIR/registry-pushed"
}

exports() {
  echo "export GANTRY_TEST_REGISTRY=127.0.0.1:$(port_of open)"
  echo "export GANTRY_TEST_REGISTRY_AUTH=127.0.0.1:$(port_of auth)"
  echo "export GANTRY_TEST_REGISTRY_USER=$USER_NAME"
  echo "export GANTRY_TEST_REGISTRY_PASSWORD=$(cat "$DIR/registry-auth/password")"
}

stop_one() {
  local f=$DIR/registry-$1/pid pid i
  [ -f "$f" ] || return 0
  pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$f" "$DIR/registry-$1/port"
}

case "${1:-}" in
  start)
    install
    curl -sf --max-time 2 --unix-socket "$DSOCK" http://engine/_ping >/dev/null || die "no Docker engine at $DSOCK (scripts/engines.sh start)"
    start_one open "" || die "the open registry did not start"
    mkdir -p "$DIR/registry-auth"
    if ! answers auth; then
      rm -f "$DIR/registry-pushed"
      head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$DIR/registry-auth/password"
      chmod 600 "$DIR/registry-auth/password"
      htpasswd -Bbn "$USER_NAME" "$(cat "$DIR/registry-auth/password")" >"$DIR/registry-auth/htpasswd"
    fi
    start_one auth "auth:
  htpasswd:
    realm: gantry-test
    path: $DIR/registry-auth/htpasswd" || die "the auth registry did not start"
    push_images
    # Podman pulls the auth registry through its compatible endpoint: mark it insecure (HTTP)
    # in the engine's registries.conf (scripts/engines.sh points Podman at it).
    if [ -f "$DIR/registries.conf" ] && ! grep -q "127.0.0.1:$(port_of auth)\"" "$DIR/registries.conf"; then
      printf '[[registry]]\nlocation = "127.0.0.1:%s"\ninsecure = true\n' "$(port_of auth)" >>"$DIR/registries.conf"
    fi
    say "registries are up: open at 127.0.0.1:$(port_of open), basic auth at 127.0.0.1:$(port_of auth)"
    exports
    ;;
  env)
    answers open && answers auth || die "the registries are not running (scripts/registry.sh start)"
    exports
    ;;
  stop)
    stop_one open
    stop_one auth
    rm -f "$DIR/registry-pushed"
    ;;
  *) echo "usage: $0 start|env|stop" >&2; exit 2 ;;
esac
