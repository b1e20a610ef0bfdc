namespace Gapless.Backtesting.Reporting;

/// <summary>
/// The report's stylesheet, inlined in the page: a light theme on the system font stack, tabular numbers, a width
/// that follows the window. It uses no <c>&amp;</c>, <c>&lt;</c> or <c>&gt;</c>, so the page stays well-formed XML,
/// and no <c>url()</c> or <c>@import</c>, so it loads nothing.
/// </summary>
internal static class ReportStyles
{
    public const string Css = """

:root { --text: #1f2937; --muted: #6b7280; --line: #e5e7eb; --bg: #f6f7f9; --card: #ffffff; --accent: #2563eb;
  --good: #15803d; --bad: #dc2626; --warn: #b45309; --hole: #f59e0b; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--text);
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif; }
main { max-width: 1200px; margin: 0 auto; padding: 24px 20px 40px; }
h1 { font-size: 24px; margin: 0 0 4px; line-height: 1.25; overflow-wrap: anywhere; }
h2 { font-size: 16px; margin: 0 0 10px; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #eef0f3; padding: 1px 5px; border-radius: 4px; overflow-wrap: anywhere; }
.muted { color: var(--muted); }
.eyebrow { margin: 0; color: var(--accent); font-size: 12px; font-weight: 600; letter-spacing: .06em; text-transform: uppercase; }
.page-head { display: flex; justify-content: space-between; align-items: flex-start; gap: 16px; margin-bottom: 16px; }
.page-head p { margin: 0; }
.badge { display: inline-block; padding: 4px 12px; border-radius: 999px; font-weight: 600; font-size: 13px; white-space: nowrap;
  background: #e5e7eb; color: #374151; }
.badge.ok { background: #dcfce7; color: var(--good); }
.badge.bad { background: #fee2e2; color: var(--bad); }
.callout { margin: 0 0 12px; padding: 10px 14px; border-radius: 8px; background: #eff6ff; border: 1px solid #bfdbfe; overflow-wrap: anywhere; }
.callout.bad { background: #fef2f2; border-color: #fecaca; color: #991b1b; }
.callout.warn { background: #fffbeb; border-color: #fde68a; color: #92400e; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 16px 18px; margin-bottom: 16px; }
.card p.muted { margin: -4px 0 10px; }
.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 8px 20px; margin: 0; }
.facts dt { color: var(--muted); font-size: 12px; }
.facts dd { margin: 0; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(160px, 1fr)); gap: 10px; margin-bottom: 14px; }
.tile { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
.tile-label { color: var(--muted); font-size: 12px; overflow-wrap: anywhere; }
.tile-value { font-size: 22px; font-weight: 600; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
.metrics-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 0 28px; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: 6px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: middle; }
thead th { font-size: 12px; color: var(--muted); font-weight: 600; border-bottom-color: #d1d5db; white-space: nowrap; }
tbody th { font-weight: 500; color: #374151; }
tfoot th, tfoot td { font-weight: 600; border-bottom: 0; }
.num { text-align: right; white-space: nowrap; }
.nowrap { white-space: nowrap; }
td.pos, .tile-value.pos { color: var(--good); }
td.neg, .tile-value.neg, td.bad { color: var(--bad); }
.scroll { overflow-x: auto; }
.trades tbody tr:hover, .data tbody tr:hover { background: #f9fafb; }
.trades td:nth-child(1), .trades td:nth-child(4), .trades td:nth-child(6), .trades td:nth-child(n+8) { text-align: right; white-space: nowrap; }
.trades td:nth-child(5), .trades td:nth-child(7) { white-space: nowrap; }
.trades td:first-child { color: var(--muted); }
.trades tr.open td { font-style: italic; }
.trades .gap-row td { text-align: center; color: var(--muted); background: #f9fafb; }
.side { font-size: 12px; padding: 1px 8px; border-radius: 999px; background: #eef0f3; }
.side.long { background: #dcfce7; color: var(--good); }
.side.short { background: #fee2e2; color: var(--bad); }
.series { font-weight: 600; overflow-wrap: break-word; }
.data td:first-child .muted { white-space: nowrap; }
.count { color: var(--muted); font-weight: 400; }
.empty { color: var(--muted); font-style: italic; }
.coverage { display: flex; align-items: center; gap: 8px; }
svg.cov { width: 120px; height: 10px; border-radius: 3px; flex: none; }
.cov .covered, .swatch.covered { fill: #22c55e; background: #22c55e; }
.cov .missing, .swatch.missing { fill: var(--bad); background: var(--bad); }
.cov .hole, .swatch.hole { fill: var(--hole); background: var(--hole); }
.pct { font-variant-numeric: tabular-nums; white-space: nowrap; }
.legend { color: var(--muted); font-size: 12px; margin: 10px 0 0; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin: 0 4px 0 10px; vertical-align: -1px; }
details.gaps { margin-top: 8px; }
details.gaps summary { cursor: pointer; color: #374151; }
details.gaps ul { margin: 6px 0 0; padding-left: 20px; font-variant-numeric: tabular-nums; max-height: 240px; overflow: auto; }
svg.chart { display: block; width: 100%; height: auto; font-size: 11px; font-variant-numeric: tabular-nums; }
.chart .grid { stroke: #edf0f3; stroke-width: 1; fill: none; vector-effect: non-scaling-stroke; }
.chart .frame { fill: none; stroke: #d1d5db; stroke-width: 1; vector-effect: non-scaling-stroke; }
.chart .ylab text { text-anchor: end; fill: var(--muted); }
.chart .xlab text { text-anchor: middle; fill: var(--muted); }
.chart .eq-line { fill: none; stroke: var(--accent); stroke-width: 1.6; stroke-linejoin: round; vector-effect: non-scaling-stroke; }
.chart .dd-area { fill: rgba(220, 38, 38, .16); stroke: var(--bad); stroke-width: 1.2; stroke-linejoin: round; vector-effect: non-scaling-stroke; }
.chart .dd-band { fill: rgba(220, 38, 38, .07); }
.chart .baseline { stroke: #9ca3af; stroke-dasharray: 4 4; fill: none; vector-effect: non-scaling-stroke; }
.chart .note { fill: var(--muted); font-size: 10px; }
.chart .note, .chart .value-label, .chart .end-label { paint-order: stroke; stroke: #fff; stroke-width: 3px; stroke-linejoin: round; }
.chart .marker { stroke: #fff; stroke-width: 1.5; fill: var(--accent); }
.chart .marker.high { fill: var(--good); }
.chart .marker.low, .chart .marker.trough { fill: var(--bad); }
.chart .end-label { font-weight: 600; fill: var(--text); }
.chart .value-label { font-weight: 600; fill: var(--bad); }
.chart .hover rect { fill: transparent; }
.chart .hover rect:hover { fill: rgba(37, 99, 235, .08); }
footer { color: var(--muted); font-size: 12px; text-align: center; margin-top: 24px; }
@media (max-width: 640px) { main { padding: 12px 8px 24px; } .card { padding: 12px; } .page-head { flex-direction: column; } }
@media print { body { background: #fff; } .card { break-inside: avoid; border-color: #ccc; } }

""";
}
