#!/usr/bin/env bash
# Reproduces the README "Benchmarks" figures: the aggregation benchmark at 1M and at 10M CDRs, each in its own process
# (so each prints its own peak memory) on its own private PostgreSQL cluster. Needs the PostgreSQL server binaries
# (Debian: apt-get install -y postgresql). Extra arguments are passed on, e.g. ./run.sh --runs 9
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build -c Release tests/CarrierReports.Benchmarks -nologo -v quiet
for rows in 1000000 10000000; do
  dotnet run -c Release --no-build --project tests/CarrierReports.Benchmarks -- aggregation --rows "$rows" "$@"
done
