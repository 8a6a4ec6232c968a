#!/usr/bin/env bash
# The test command (`npm test`): builds gantry, starts real Docker and Podman engines on private
# sockets (scripts/engines.sh), runs every test against them, stops them, and ends with one line
# "N passed, N failed, N skipped". Extra arguments go to vitest (e.g. a test file).
set -uo pipefail
cd "$(dirname "$0")/.."

mkdir -p .gantry-test
echo "== building gantry"
node scripts/build.mjs || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }

started=0
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
  if out=$(bash scripts/engines.sh start); then
    eval "$(printf '%s\n' "$out" | grep '^export GANTRY_TEST_')"
    started=1
  else
    rc=$?
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

echo "== running the tests"
npx vitest run --reporter=default --reporter=json --outputFile.json=.gantry-test/results.json "$@"
code=$?

if [ "$started" = 1 ]; then
  echo "== stopping the engines"
  bash scripts/engines.sh stop >/dev/null 2>&1 || echo "(engines.sh stop reported a problem; see /tmp/gantry-engines)"
fi

node -e '
  const fs = require("fs");
  let r;
  try { r = JSON.parse(fs.readFileSync(".gantry-test/results.json", "utf8")); }
  catch { console.log(`0 passed, ${process.argv[1] === "0" ? 0 : 1} failed`); process.exit(0); }
  const skipped = (r.numPendingTests || 0) + (r.numTodoTests || 0);
  // A test file that failed to load counts as a failure even though it has no test results.
  const brokenFiles = (r.testResults || []).filter((f) => f.status === "failed" && (f.assertionResults || []).length === 0).length;
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests + brokenFiles} failed, ${skipped} skipped`);
' "$code"
exit "$code"
