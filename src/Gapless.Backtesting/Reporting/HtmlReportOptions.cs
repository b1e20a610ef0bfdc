namespace Gapless.Backtesting.Reporting;

/// <summary>Limits that keep a report small whatever the run's size. Immutable; the defaults suit a browser.</summary>
public sealed record HtmlReportOptions
{
    /// <summary>The defaults.</summary>
    public static HtmlReportOptions Default { get; } = new();

    /// <summary>
    /// Most trade rows shown: beyond it the table shows the first half and the last half, and says how many were left
    /// out. Default 1000 (the first 500 and the last 500). At least 2.
    /// </summary>
    public int MaxTradeRows { get; init; } = 1000;

    /// <summary>Most vendor holes listed per series; the rest are counted. Default 100. At least 1.</summary>
    public int MaxHolesPerSeries { get; init; } = 100;

    internal void Validate()
    {
        if (MaxTradeRows < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxTradeRows), MaxTradeRows, "MaxTradeRows must be at least 2");
        }

        if (MaxHolesPerSeries < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxHolesPerSeries), MaxHolesPerSeries, "MaxHolesPerSeries must be at least 1");
        }
    }
}
