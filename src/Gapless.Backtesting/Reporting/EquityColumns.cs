namespace Gapless.Backtesting.Reporting;

/// <summary>The report's equity curve as checked arrays, with the drawdown derived when the report did not give it.</summary>
internal sealed class EquityColumns
{
    private EquityColumns(long[] times, double[] equity, double[] drawdown)
    {
        Times = times;
        Equity = equity;
        Drawdown = drawdown;
    }

    public long[] Times { get; }

    public double[] Equity { get; }

    /// <summary>Fraction below the running peak, ≥ 0.</summary>
    public double[] Drawdown { get; }

    public int Count => Times.Length;

    public static EquityColumns From(ReportEquity equity)
    {
        ArgumentNullException.ThrowIfNull(equity);
        ArgumentNullException.ThrowIfNull(equity.TimesMs);
        ArgumentNullException.ThrowIfNull(equity.Values);
        var times = equity.TimesMs as long[] ?? [.. equity.TimesMs];
        var values = equity.Values as double[] ?? [.. equity.Values];
        if (values.Length != times.Length)
        {
            throw new ArgumentException($"equity has {times.Length} times but {values.Length} values: they must be as many", nameof(equity));
        }

        for (var i = 1; i < times.Length; i++)
        {
            if (times[i] <= times[i - 1])
            {
                throw new ArgumentException($"equity times must be strictly ascending (index {i}: {times[i]} after {times[i - 1]})", nameof(equity));
            }
        }

        double[] drawdown;
        if (equity.Drawdown is { } given)
        {
            drawdown = given as double[] ?? [.. given];
            if (drawdown.Length != times.Length)
            {
                throw new ArgumentException($"equity has {times.Length} times but {drawdown.Length} drawdowns: they must be as many", nameof(equity));
            }
        }
        else
        {
            drawdown = new double[times.Length];
            var peak = double.NegativeInfinity;
            for (var i = 0; i < values.Length; i++)
            {
                if (values[i] > peak)
                {
                    peak = values[i]; // a NaN never becomes the peak
                }

                drawdown[i] = peak > 0 ? (peak - values[i]) / peak : 0;
            }
        }

        return new EquityColumns(times, values, drawdown);
    }
}
