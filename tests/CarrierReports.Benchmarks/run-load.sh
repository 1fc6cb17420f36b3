#!/usr/bin/env bash
# Reproduces the README "Load" figures: 1,000 subscriptions due at the same second on one node, then on two nodes,
# each repeated (default 3 times; the README reports medians). Needs the PostgreSQL server binaries
# (Debian: apt-get install -y postgresql). Extra arguments are passed on, e.g. ./run-load.sh --formats pdf,xlsx,csv
set -euo pipefail
cd "$(dirname "$0")/../.."
repeats="${REPEATS:-3}"
dotnet build -c Release tests/CarrierReports.Benchmarks -nologo -v quiet
for nodes in 1 2; do
  for i in $(seq "$repeats"); do
    dotnet run -c Release --no-build --project tests/CarrierReports.Benchmarks -- load --subscriptions 1000 --nodes "$nodes" "$@"
  done
done
