#!/usr/bin/env bash
# Real Docker and Podman engines on private sockets, for the tests, the benchmark and for trying
# gantry on a machine without engines. Facts behind the flags: the team's ENGINES.md.
#
#   scripts/engines.sh install        install docker.io, podman, runc, busybox-static, curl (root)
#   scripts/engines.sh start          start both, clean, with a busybox image, two local registries
#                                     (scripts/registry.sh) and the test CDI spec; prints export lines
#   scripts/engines.sh env            print the export lines (engines must be up)
#   scripts/engines.sh stop           stop both and the registries, remove their containers and data
#   scripts/engines.sh stop-docker|start-docker|stop-podman|start-podman
#                                     stop or start one engine, keeping its data (fault tests)
#   scripts/engines.sh status         one line per engine
set -euo pipefail

DIR=${GANTRY_ENGINES_DIR:-/tmp/gantry-engines}
DSOCK=$DIR/docker.sock
PSOCK=$DIR/podman.sock
export CONTAINERS_CONF=$DIR/containers.conf
# The Podman engine's own registries.conf: scripts/registry.sh marks the basic-auth registry
# insecure in it (Podman reads it again for each pull), so that registry is pulled through
# Podman's compatible endpoint, and the open one only through libpod's tlsVerify=false.
export CONTAINERS_REGISTRIES_CONF=$DIR/registries.conf
HERE=$(cd "$(dirname "$0")" && pwd)
PODMAN=(podman --root "$DIR/podman-root" --runroot "$DIR/podman-run" --tmpdir "$DIR/podman-tmp" --runtime runc)

say() { echo "engines: $*" >&2; }
die() { say "$*"; exit 1; }
ping_sock() { curl -sf --max-time 2 --unix-socket "$1" http://engine/_ping >/dev/null 2>&1; }
wait_sock() { # socket, seconds, log
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    ping_sock "$1" && return 0
    sleep 0.1
  done
  say "no answer on $1 after $2 s; the last lines of $3:"
  tail -n 20 "$3" >&2 || true
  return 1
}
pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
stop_pid() { # pidfile
  [ -f "$1" ] || return 0
  local pid i
  pid=$(cat "$1")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 150; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$1"
}

install() {
  local missing=()
  for b in dockerd podman runc busybox curl; do command -v "$b" >/dev/null 2>&1 || missing+=("$b"); done
  command -v docker >/dev/null 2>&1 || missing+=(docker)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    say "cannot install engines: not root (missing: ${missing[*]})"
    exit 3
  fi
  say "installing docker.io podman runc busybox-static curl (missing: ${missing[*]})"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io podman runc busybox-static curl >&2
}

write_conf() {
  # crun fails on this VM's hybrid cgroups; the default ulimits are refused; there is no network.
  cat >"$CONTAINERS_CONF" <<CONF
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
netns = "none"

[engine]
runtime = "runc"
CONF
  echo 'unqualified-search-registries = ["docker.io"]' >"$CONTAINERS_REGISTRIES_CONF"
}

start_docker() {
  ping_sock "$DSOCK" && return 0
  mkdir -p "$DIR/docker-data" "$DIR/docker-exec"
  # The tests create and remove many networks; Docker's default pools hold 31 and skip any subnet
  # a bridge left on the host already routes, so the test engine gets 256 /24s of its own.
  setsid dockerd --iptables=false --ip6tables=false --bridge=none \
    --default-address-pool base=10.213.0.0/16,size=24 \
    -H "unix://$DSOCK" --data-root "$DIR/docker-data" --exec-root "$DIR/docker-exec" \
    --pidfile "$DIR/docker.pid" >>"$DIR/dockerd.log" 2>&1 </dev/null &
  wait_sock "$DSOCK" 60 "$DIR/dockerd.log"
}

start_podman() {
  ping_sock "$PSOCK" && return 0
  rm -f "$PSOCK"
  setsid "${PODMAN[@]}" system service --time=0 "unix://$PSOCK" >>"$DIR/podman.log" 2>&1 </dev/null &
  echo $! >"$DIR/podman.pid"
  wait_sock "$PSOCK" 30 "$DIR/podman.log"
}

stop_docker() {
  stop_pid "$DIR/docker.pid"
  # dockerd's managed containerd normally exits with it; make sure.
  pkill -f "containerd --config $DIR/docker-exec" 2>/dev/null || true
  pkill -f "$DIR/docker-exec/containerd" 2>/dev/null || true
}

stop_podman() {
  stop_pid "$DIR/podman.pid"
  rm -f "$PSOCK"
}

make_image() {
  local root=$DIR/busybox-rootfs
  rm -rf "$root" && mkdir -p "$root/bin" "$root/tmp" "$root/etc"
  cp "$(command -v busybox)" "$root/bin/busybox"
  for l in sh ls sleep cat echo yes seq date printf head tail env id true false kill ps top wc tr dd touch mkdir rm grep sed awk stty; do
    ln -sf busybox "$root/bin/$l"
  done
  echo 'root:x:0:0:root:/:/bin/sh' >"$root/etc/passwd"
  echo 'root:x:0:' >"$root/etc/group"
  tar -C "$root" -cf "$DIR/busybox.tar" .
  docker -H "unix://$DSOCK" import -c 'ENV PATH=/bin' -c 'CMD ["sh"]' "$DIR/busybox.tar" busybox:latest >/dev/null
  "${PODMAN[@]}" import -c 'ENV PATH=/bin' -c 'CMD ["sh"]' "$DIR/busybox.tar" localhost/busybox:latest >/dev/null
}

exports() {
  # The folder too: the fault tests stop and start these engines through this script.
  echo "export GANTRY_ENGINES_DIR=$DIR"
  echo "export GANTRY_TEST_DOCKER_SOCK=$DSOCK"
  echo "export GANTRY_TEST_PODMAN_SOCK=$PSOCK"
  bash "$HERE/registry.sh" env 2>/dev/null || true
}

# GPUs without a GPU, for Podman: a CDI spec of kind nvidia.com/gpu whose devices "0".."3" only set
# GANTRY_TEST_GPU=N. Podman 4.3 reads specs from /etc/cdi and /var/run/cdi only (it does not honour
# containers.conf cdi_spec_dirs), so the spec goes to /etc/cdi, the same file for every engine pair,
# and stays there. Never on a machine that has a real NVIDIA spec: ours would clash with it.
CDI_SPEC=/etc/cdi/gantry-test.yaml
write_cdi() {
  local other
  other=$(grep -ls 'nvidia.com/gpu' /etc/cdi/* /var/run/cdi/* 2>/dev/null | grep -vx "$CDI_SPEC" || true)
  if [ -n "$other" ]; then
    say "not writing $CDI_SPEC: a real NVIDIA CDI spec is there ($other)"
    return 0
  fi
  mkdir -p /etc/cdi
  local tmp
  tmp=$(mktemp /etc/cdi/.gantry-test.XXXXXX)
  {
    echo '# gantry test spec (scripts/engines.sh): GPUs without a GPU, for Podman CDI tests.'
    echo 'cdiVersion: "0.5.0"'
    echo 'kind: "nvidia.com/gpu"'
    echo 'devices:'
    for i in 0 1 2 3; do
      printf '  - name: "%s"\n    containerEdits:\n      env: ["GANTRY_TEST_GPU=%s"]\n' "$i" "$i"
    done
  } >"$tmp"
  chmod 644 "$tmp"
  mv -f "$tmp" "$CDI_SPEC"
}

stop_all() {
  bash "$HERE/registry.sh" stop 2>/dev/null || true
  if ping_sock "$DSOCK"; then
    ids=$(docker -H "unix://$DSOCK" ps -aq 2>/dev/null || true)
    [ -n "$ids" ] && docker -H "unix://$DSOCK" rm -f $ids >/dev/null 2>&1 || true
    # A network's bridge outlives dockerd in the host's kernel and keeps its subnet taken from
    # every later dockerd on the machine; removing the networks removes their bridges.
    docker -H "unix://$DSOCK" network prune -f >/dev/null 2>&1 || true
  fi
  if [ -d "$DIR/podman-root" ]; then
    "${PODMAN[@]}" rm -af -t 0 >/dev/null 2>&1 || true
  fi
  stop_podman
  stop_docker
  # conmon of containers that outlived the service
  pkill -f "conmon.*$DIR" 2>/dev/null || true
  if [ -d "$DIR" ]; then
    # Unmount what the engines left (overlay layers, shm, netns), deepest first.
    # A service still exiting can mount again behind us: unmount and remove, a few times.
    for _ in 1 2 3 4 5; do
      awk -v d="$DIR" '$2 ~ "^"d {print $2}' /proc/mounts | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
      rm -rf "$DIR" 2>/dev/null && break
      sleep 1
    done
    [ ! -d "$DIR" ] || rm -rf "$DIR"
  fi
}

case "${1:-}" in
  install) install ;;
  start)
    install
    stop_all
    mkdir -p "$DIR"
    write_conf
    start_docker || die "dockerd did not start (log: $DIR/dockerd.log)"
    start_podman || die "podman system service did not start (log: $DIR/podman.log)"
    make_image || die "could not import the busybox image"
    write_cdi || die "could not write the test CDI spec $CDI_SPEC"
    bash "$HERE/registry.sh" start >/dev/null || die "the test registries did not start"
    say "docker and podman are up in $DIR"
    exports
    ;;
  env)
    ping_sock "$DSOCK" && ping_sock "$PSOCK" || die "engines are not running (scripts/engines.sh start)"
    exports
    ;;
  stop) stop_all ;;
  stop-docker) stop_docker ;;
  start-docker) start_docker || die "dockerd did not start (log: $DIR/dockerd.log)" ;;
  stop-podman) stop_podman ;;
  start-podman) start_podman || die "podman did not start (log: $DIR/podman.log)" ;;
  status)
    ping_sock "$DSOCK" && echo "docker up $DSOCK" || echo "docker down"
    ping_sock "$PSOCK" && echo "podman up $PSOCK" || echo "podman down"
    ;;
  *) echo "usage: $0 install|start|env|stop|stop-docker|start-docker|stop-podman|start-podman|status" >&2; exit 2 ;;
esac
