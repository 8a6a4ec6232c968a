#!/usr/bin/env bash
# A real sshd on a private 127.0.0.1 port, for the tests of remote servers: its own host key,
# config, authorized key and pid file in a private folder, and a private ssh client config whose
# aliases (node-a, node-b, node-anything) all reach this machine under different names. Never
# touches ~/.ssh or the system's sshd. Facts behind it: the team's ENGINES.md ("a remote server").
#
#   scripts/sshd.sh start    install openssh-server when missing, make the keys (first time), start
#                            sshd; prints export lines (GANTRY_TEST_SSH_CONFIG, _PORT, _KEY, _DIR)
#   scripts/sshd.sh env      print the export lines (sshd must be up)
#   scripts/sshd.sh stop     stop sshd and drop every live session (a server going down), keep the folder
#   scripts/sshd.sh drop     drop every live session, keep sshd listening (a network blip)
#   scripts/sshd.sh remove   stop, then delete the folder
#   scripts/sshd.sh status   one line
#
# Aliases in the client config: node-badkey offers a key sshd refuses; node-unknownkey checks
# against an empty known_hosts (an unknown host key); every other node-* and 127.0.0.1 work.
set -euo pipefail

DIR=${GANTRY_SSHD_DIR:-${GANTRY_ENGINES_DIR:-/tmp/gantry-engines}.sshd}
PIDFILE=$DIR/sshd.pid

say() { echo "sshd: $*" >&2; }
die() { say "$*"; exit 1; }
alive() { [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }

install() {
  [ -x /usr/sbin/sshd ] && command -v ssh >/dev/null && command -v ssh-keygen >/dev/null && return 0
  [ "$(id -u)" = 0 ] || { say "cannot install openssh-server: not root"; exit 3; }
  say "installing openssh-server"
  # The package starts the system's sshd on port 22 unless policy-rc.d says no: keep it from that.
  local guard=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && guard=1
  fi
  apt-get -o DPkg::Lock::Timeout=300 update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq openssh-server openssh-client >&2 || {
    [ "$guard" = 1 ] && rm -f /usr/sbin/policy-rc.d
    die "apt-get install openssh-server failed"
  }
  [ "$guard" = 1 ] && rm -f /usr/sbin/policy-rc.d
  return 0
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

setup() {
  [ -f "$DIR/ssh_config" ] && return 0
  mkdir -p "$DIR" && chmod 700 "$DIR"
  ssh-keygen -q -t ed25519 -N '' -C gantry-test-host -f "$DIR/host_ed25519_key"
  ssh-keygen -q -t ed25519 -N '' -C gantry-test-client -f "$DIR/client_key"
  ssh-keygen -q -t ed25519 -N '' -C gantry-test-refused -f "$DIR/refused_key"
  cp "$DIR/client_key.pub" "$DIR/authorized_keys"
  free_port >"$DIR/port"
  local port
  port=$(cat "$DIR/port")
  echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$DIR/host_ed25519_key.pub")" >"$DIR/known_hosts"
  : >"$DIR/known_hosts_empty"
  cat >"$DIR/sshd_config" <<CONF
Port $port
ListenAddress 127.0.0.1
HostKey $DIR/host_ed25519_key
PidFile $PIDFILE
AuthorizedKeysFile $DIR/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
UsePAM no
# The folder lives under /tmp (world-writable): the owner checks of StrictModes would refuse it.
StrictModes no
AllowTcpForwarding yes
AllowStreamLocalForwarding yes
# Up to ten "servers" in the scale measurement are this one sshd, all connecting at once.
MaxStartups 100:30:200
LogLevel VERBOSE
CONF
  cat >"$DIR/ssh_config" <<CONF
# gantry's test servers: every name reaches the test sshd on this machine.
Host node-badkey
  IdentityFile $DIR/refused_key
Host node-* 127.0.0.1 !node-badkey
  IdentityFile $DIR/client_key
Host node-unknownkey
  UserKnownHostsFile $DIR/known_hosts_empty
Host node-* 127.0.0.1
  HostName 127.0.0.1
  Port $port
  User root
  IdentitiesOnly yes
  UserKnownHostsFile $DIR/known_hosts
  GlobalKnownHostsFile /dev/null
  StrictHostKeyChecking yes
  CheckHostIP no
  LogLevel ERROR
CONF
  chmod 600 "$DIR/ssh_config" "$DIR"/*_key
}

start() {
  alive && return 0
  mkdir -p /run/sshd
  local i
  for i in 1 2 3; do
    /usr/sbin/sshd -f "$DIR/sshd_config" -E "$DIR/sshd.log" && break
    say "sshd did not start (attempt $i); the last lines of its log:"
    tail -n 5 "$DIR/sshd.log" >&2 || true
    # Most likely the port was taken meanwhile: pick another one (the known_hosts entry has the port).
    local port old
    old=$(cat "$DIR/port")
    port=$(free_port)
    echo "$port" >"$DIR/port"
    sed -i "s/^Port .*/Port $port/" "$DIR/sshd_config"
    sed -i "s/^  Port .*/  Port $port/" "$DIR/ssh_config"
    sed -i "s/^\[127.0.0.1\]:$old /[127.0.0.1]:$port /" "$DIR/known_hosts"
  done
  for ((i = 0; i < 100; i++)); do
    ssh -F "$DIR/ssh_config" -o BatchMode=yes -o ConnectTimeout=5 node-check true 2>/dev/null && return 0
    sleep 0.1
  done
  die "sshd does not answer on 127.0.0.1:$(cat "$DIR/port") (log: $DIR/sshd.log)"
}

# The per-connection children of the listener (and so the sessions they forked).
drop_children() { # listener pid
  local kids
  kids=$(pgrep -P "$1" 2>/dev/null || true)
  [ -n "$kids" ] && kill -KILL $kids 2>/dev/null || true
  return 0
}

drop() {
  alive && drop_children "$(cat "$PIDFILE")"
  return 0
}

stop() {
  alive || { rm -f "$PIDFILE"; return 0; }
  local pid i
  pid=$(cat "$PIDFILE")
  # The listener first (no new logins), then every live session; sshd removes its pid file itself.
  kill -STOP "$pid" 2>/dev/null || true
  drop_children "$pid"
  kill -TERM "$pid" 2>/dev/null || true
  kill -CONT "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$PIDFILE"
}

exports() {
  echo "export GANTRY_TEST_SSHD_DIR=$DIR"
  echo "export GANTRY_TEST_SSH_CONFIG=$DIR/ssh_config"
  echo "export GANTRY_TEST_SSH_PORT=$(cat "$DIR/port")"
  echo "export GANTRY_TEST_SSH_KEY=$DIR/client_key"
}

case "${1:-}" in
  start)
    install
    setup
    start
    say "sshd is up on 127.0.0.1:$(cat "$DIR/port") ($DIR)"
    exports
    ;;
  env)
    alive || die "sshd is not running (scripts/sshd.sh start)"
    exports
    ;;
  stop) stop ;;
  drop) drop ;;
  remove)
    stop
    rm -rf "$DIR"
    ;;
  status) alive && echo "sshd up 127.0.0.1:$(cat "$DIR/port")" || echo "sshd down" ;;
  *) echo "usage: $0 start|env|stop|drop|remove|status" >&2; exit 2 ;;
esac
