#!/usr/bin/env bash
# The one test command (README, .ci/run): install missing system packages, build everything, run every test.
# It ends with one summary line, "tests: N passed, N failed", and fails when any test fails.
set -euo pipefail
cd "$(dirname "$0")"

scripts/install-deps.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet build NarSeed.sln -c Release -nologo -clp:ErrorsOnly

log=$(mktemp)
status=0
# Test projects run one after another: interop tests start real clients and the machine has two cores.
dotnet test NarSeed.sln -c Release --no-build -nologo -m:1 "$@" 2>&1 | tee "$log" || status=$?

passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
rm -f "$log"
echo "tests: $passed passed, $failed failed"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
