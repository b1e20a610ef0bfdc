#!/usr/bin/env bash
# The main job, offline: make a month of 1-minute bars complete from the `sim` provider (no network, no keys),
# show what the store holds, then ask again and watch nothing be fetched twice.
# Usage: ./scripts/demo.sh        (store: $GAPLESS_DB, default ./demo/gapless.db)
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
db="${GAPLESS_DB:-demo/gapless.db}"
mkdir -p "$(dirname "$db")"
dotnet build src/Gapless.Cli -c Release -nologo -v quiet >/dev/null
gapless() { echo "\$ gapless $*" >&2; dotnet src/Gapless.Cli/bin/Release/net10.0/gapless.dll "$@" --db "$db"; }

gapless fetch --provider sim --symbol SIM-BTC --timeframe 1m --from 2024-01-01 --to 2024-01-31 --plan
gapless fetch --provider sim --symbol SIM-BTC --timeframe 1m --from 2024-01-01 --to 2024-01-31
gapless fetch --provider sim --symbol SIM-BTC --timeframe 1m --from 2023-12-25 --to 2024-02-06 --json
gapless coverage
gapless bars --provider sim --symbol SIM-BTC --timeframe 1m --from 2024-01-15T09:30Z --to 2024-01-15T09:35Z
