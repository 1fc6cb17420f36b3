#!/usr/bin/env bash
# Runs every test of CarrierReports on a fresh machine that has the .NET SDK.
# It installs what the tests need (Debian's PostgreSQL server binaries, the tests start their own private cluster;
# Debian's chromium, which the web console's browser tests drive),
# builds the solution, runs the tests and prints a last line "tests: N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
[ -x "${CARRIERREPORTS_CHROMIUM:-/usr/bin/chromium}" ] || need_apt+=(chromium)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "run-tests: missing Debian packages: ${need_apt[*]}; run as root or: sudo apt-get install -y ${need_apt[*]}" >&2
    exit 1
  fi
  echo "run-tests: installing ${need_apt[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT
set +e
dotnet test CarrierReports.sln -c Release --logger "trx;LogFileName=tests.trx" --results-directory "$results" "$@"
status=$?
set -e

passed=0; failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then
  echo "run-tests: no test was executed" >&2
  status=1
fi
echo "tests: $passed passed, $failed failed"
exit $status
