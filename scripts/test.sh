#!/usr/bin/env bash
# The whole test suite: builds everything and runs every test project.
# Usage: ./scripts/test.sh [extra dotnet test args]
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build Gapless.slnx -c Release -nologo -v quiet
dotnet test Gapless.slnx -c Release --no-build -nologo -v quiet --logger "console;verbosity=minimal" "$@"
