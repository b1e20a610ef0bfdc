#!/usr/bin/env bash
# Runs every benchmark in Release and writes bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet run -c Release --project bench/Gapless.Bench -- "$@"
