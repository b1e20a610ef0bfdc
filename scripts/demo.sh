#!/usr/bin/env bash
# The main job, offline: backtest a strategy on the `sim` provider (no network, no keys). The first run finds the
# data missing and fetches it (status fetching_data) before replaying; the second run fetches nothing. Then the data
# quality report and the recorded runs. Writes an HTML report to demo/report.html.
# Usage: ./scripts/demo.sh        (store: $GAPLESS_DB, default ./demo/gapless.db)
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
db="${GAPLESS_DB:-demo/gapless.db}"
mkdir -p "$(dirname "$db")" demo
dotnet build src/Gapless.Cli -c Release -nologo -v quiet >/dev/null
gapless() { echo "\$ gapless $*" >&2; dotnet src/Gapless.Cli/bin/Release/net10.0/gapless.dll "$@" --db "$db"; }

backtest=(backtest --provider sim --symbol SIM-BTC,SIM-ETH --timeframe 1h --from 2024-01-01 --to 2024-06-30
          --strategy sma-cross --param fast=10 --param slow=30 --cash 10000 --fee-bps 10)
gapless "${backtest[@]}" --report demo/report.html
gapless "${backtest[@]}" --json | grep -E '"(status|backtest_id|vendor_requests|bars_replayed)"' | head -4
gapless quality --provider sim --timeframe 1h --from 2024-01-01 --to 2024-06-30
gapless runs --limit 5
echo "HTML report: demo/report.html" >&2
