#!/usr/bin/env bash
# The test command (`npm test`): builds gantry, type-checks it, starts real Docker and Podman engines
# on private sockets (scripts/engines.sh), runs every test against them (unit and UI files in
# parallel, then integration and end-to-end files one at a time: vitest.config.ts), stops what it
# started on every way out (Ctrl-C included), and ends with one line "N passed, N failed, N skipped".
# Extra arguments go to vitest (e.g. a test file); the type check then is left out.
#
# To add a set-up step (a registry, an sshd…): start it in the "set-up" section and register how to
# stop it with `on_exit 'command'`; cleanups run last-registered first, once, whatever happens.
set -uo pipefail
cd "$(dirname "$0")/.."

mkdir -p .gantry-test
rm -f .gantry-test/results.json

cleanups=()
on_exit() { cleanups+=("$1"); }
children=()
finished=0
cleanup() {
  [ "$finished" = 1 ] && return
  finished=1
  local pid i
  for pid in "${children[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for ((i = ${#cleanups[@]} - 1; i >= 0; i--)); do eval "${cleanups[$i]}"; done
}
trap cleanup EXIT
trap 'echo "!! interrupted"; cleanup; echo "0 passed, 1 failed"; exit 130' INT
trap 'echo "!! terminated"; cleanup; echo "0 passed, 1 failed"; exit 143' TERM
# Runs a command in the background (so a signal is handled at once) and waits for it.
run_child() {
  "$@" &
  local pid=$!
  children+=("$pid")
  wait "$pid"
}

echo "== building gantry"
run_child node scripts/build.mjs || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }

# The type check runs while the engines start; its result counts as one test.
typecheck=0
if [ $# -eq 0 ]; then
  node_modules/.bin/tsc --noEmit -p . >.gantry-test/tsc.log 2>&1 &
  tsc_pid=$!
  children+=("$tsc_pid")
  typecheck=1
fi

# ---- set-up -----------------------------------------------------------------------------------
ping_sock() { curl -sf --max-time 3 --unix-socket "$1" http://engine/_ping >/dev/null 2>&1; }
if [ -n "${GANTRY_TEST_DOCKER_SOCK:-}" ] && [ -n "${GANTRY_TEST_PODMAN_SOCK:-}" ] \
   && ping_sock "$GANTRY_TEST_DOCKER_SOCK" && ping_sock "$GANTRY_TEST_PODMAN_SOCK"; then
  echo "== using the engines already running at $GANTRY_TEST_DOCKER_SOCK and $GANTRY_TEST_PODMAN_SOCK"
  # Engines started before the registries existed: start those beside them (same folder).
  if [ -z "${GANTRY_TEST_REGISTRY:-}" ] && out=$(bash scripts/registry.sh start); then
    eval "$(printf '%s\n' "$out" | grep '^export GANTRY_TEST_')"
  fi
else
  echo "== starting real Docker and Podman engines (scripts/engines.sh start)"
  # Registered before starting: an interrupted start leaves nothing behind either.
  on_exit 'echo "== stopping the engines"; bash scripts/engines.sh stop >/dev/null 2>&1 || echo "(engines.sh stop reported a problem; see ${GANTRY_ENGINES_DIR:-/tmp/gantry-engines})"'
  run_child bash scripts/engines.sh start >.gantry-test/engines.out
  rc=$?
  if [ "$rc" = 0 ]; then
    eval "$(grep '^export GANTRY_' .gantry-test/engines.out)"
  else
    if [ "${CI:-}" = "true" ]; then
      echo "!! could not start the engines (exit $rc) and CI=true: integration tests must run here. See the messages above."
      echo "0 passed, 1 failed"
      exit 1
    fi
    unset GANTRY_TEST_DOCKER_SOCK GANTRY_TEST_PODMAN_SOCK
    cat <<MSG
!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
!! No real engines (scripts/engines.sh start exited $rc; it needs root to
!! install and start them). Integration and end-to-end tests are SKIPPED.
!! Only unit and UI tests run. Run \`npm test\` as root for the full suite.
!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
MSG
  fi
fi

# The remote-server tests reach this machine's engines through a private sshd (scripts/sshd.sh).
if [ -n "${GANTRY_TEST_SSHD_DIR:-}" ] && GANTRY_SSHD_DIR="$GANTRY_TEST_SSHD_DIR" bash scripts/sshd.sh status | grep -q '^sshd up'; then
  echo "== using the test sshd already running in $GANTRY_TEST_SSHD_DIR"
elif [ -n "${GANTRY_TEST_DOCKER_SOCK:-}" ]; then
  echo "== starting the test sshd (scripts/sshd.sh start)"
  on_exit 'bash scripts/sshd.sh remove >/dev/null 2>&1 || echo "(sshd.sh remove reported a problem)"'
  if out=$(bash scripts/sshd.sh start); then
    eval "$(printf '%s\n' "$out" | grep '^export GANTRY_TEST_')"
  else
    echo "!! the test sshd did not start: the remote-server tests are skipped (under CI=true they fail)"
  fi
fi

# ---- type check -------------------------------------------------------------------------------
tsc_failed=0
if [ "$typecheck" = 1 ]; then
  wait "$tsc_pid"
  if [ $? = 0 ]; then
    echo "== type check (tsc --noEmit): clean"
  else
    tsc_failed=1
    echo "!! type check (tsc --noEmit) failed:"
    cat .gantry-test/tsc.log
  fi
fi

# ---- tests ------------------------------------------------------------------------------------
echo "== running the tests"
run_child node_modules/.bin/vitest run --reporter=default --reporter=json --outputFile.json=.gantry-test/results.json "$@"
code=$?
[ "$tsc_failed" = 1 ] && code=1

cleanup

node -e '
  const fs = require("fs");
  const [code, tscFailed] = process.argv.slice(1).map(Number);
  let r;
  try { r = JSON.parse(fs.readFileSync(".gantry-test/results.json", "utf8")); }
  catch { console.log(`0 passed, ${code === 0 ? 0 : 1 + tscFailed} failed`); process.exit(0); }
  const skipped = (r.numPendingTests || 0) + (r.numTodoTests || 0);
  // A test file that failed to load counts as a failure even though it has no test results.
  const brokenFiles = (r.testResults || []).filter((f) => f.status === "failed" && (f.assertionResults || []).length === 0).length;
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests + brokenFiles + tscFailed} failed, ${skipped} skipped`);
' "$code" "$tsc_failed"
exit "$code"
