#!/usr/bin/env bash
# Browser check of the HTML backtest report: does it open with no network and show its charts?
#
#   ./scripts/check-report.sh                     runs the report's browser test (it writes a sample report, calls
#                                                 this script on it and checks the screenshot's pixels), and keeps
#                                                 the screenshot at docs/report-sample.png (ARTIFACTS_PATH=DIR to
#                                                 build there instead of in the checkout)
#   ./scripts/check-report.sh REPORT.html OUT.png screenshots REPORT.html into OUT.png (1280x2000) and saves the DOM
#                                                 as Chromium rendered it into OUT.png.dom.html
#
# Chromium is Debian's /usr/bin/chromium (CHROMIUM=... to use another); when it is missing it is installed with apt
# (no browser download works here). The page gets no network: Chromium runs in an empty network namespace when
# `unshare -n` is allowed (root), and in every case behind a proxy that does not exist with every host name
# unresolvable. The report itself also forbids any fetch (Content-Security-Policy default-src 'none').
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ $# -eq 0 ]]; then
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
  mkdir -p docs
  artifacts=()
  if [[ -n "${ARTIFACTS_PATH:-}" ]]; then
    artifacts=(--artifacts-path "$ARTIFACTS_PATH") # build outside the checkout, e.g. beside other builds in progress
  fi
  GAPLESS_REPORT_SCREENSHOT="$PWD/docs/report-sample.png" \
    dotnet test tests/Gapless.Backtesting.Tests -c Release -nologo "${artifacts[@]}" \
      --filter "FullyQualifiedName~Reporting.HtmlReportBrowserTests"
  echo "screenshot: docs/report-sample.png"
  exit 0
fi

if [[ $# -ne 2 ]]; then
  echo "usage: $0 [REPORT.html OUT.png]" >&2
  exit 2
fi

report=$(realpath "$1")
out=$(realpath -m "$2")
size=${WINDOW_SIZE:-1280,2000}
chromium=${CHROMIUM:-/usr/bin/chromium}
[[ -f "$report" ]] || { echo "no such report: $report" >&2; exit 2; }

if [[ ! -x "$chromium" ]]; then
  if [[ "$chromium" == /usr/bin/chromium ]] && command -v apt-get >/dev/null && [[ $(id -u) -eq 0 ]]; then
    echo "installing Debian's chromium (once)..." >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/tmp/gapless-chromium-install.log 2>&1 \
      || { echo "could not install chromium; see /tmp/gapless-chromium-install.log" >&2; exit 3; }
  else
    echo "no chromium at $chromium: install Debian's package (apt-get install chromium) or set CHROMIUM" >&2
    exit 3
  fi
fi

# An empty network namespace when we may make one; otherwise only the flags below stand between the page and the net.
isolate=()
if unshare -n true 2>/dev/null; then
  isolate=(unshare -n)
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/gapless-chromium.XXXXXX")
trap 'rm -rf "$work"' EXIT
log="$out.chromium.log"

run_chromium() { # $1: profile name; rest: extra flags. Fresh profile each run: runs in parallel never share one.
  local profile="$work/$1"
  shift
  HOME="$work" timeout 60 "${isolate[@]}" "$chromium" \
    --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync \
    --no-first-run --no-default-browser-check --disable-extensions --hide-scrollbars --mute-audio \
    --proxy-server=127.0.0.1:9 --host-resolver-rules="MAP * ~NOTFOUND" \
    --user-data-dir="$profile" --window-size="$size" "$@" "file://$report"
}

rm -f "$out"
# The two runs are independent (own profiles), so they go side by side.
run_chromium shot --screenshot="$out" >"$log" 2>&1 &
shot=$!
run_chromium dom --dump-dom >"$out.dom.html" 2>"$log.dom" &
dom=$!
wait "$shot" || { echo "chromium --screenshot failed:" >&2; tail -20 "$log" >&2; exit 1; }
wait "$dom" || { echo "chromium --dump-dom failed:" >&2; tail -20 "$log.dom" >&2; exit 1; }
[[ -s "$out" ]] || { echo "chromium wrote no screenshot:" >&2; tail -20 "$log" >&2; exit 1; }
echo "screenshot $out ($(stat -c %s "$out") bytes), DOM $out.dom.html, network: ${isolate[*]:-flags only}"
