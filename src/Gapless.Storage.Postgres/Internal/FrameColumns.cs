using Gapless.Core.Model;

namespace Gapless.Storage.Postgres.Internal;

/// <summary>Accumulates rows read from the database into a <see cref="BarFrame"/>'s columns. Not thread-safe.</summary>
internal sealed class FrameColumns(int capacity)
{
    private long[] _times = new long[Math.Max(capacity, 16)];
    private Dictionary<long, long>? _cut;
    private int _count;

    public NumericColumn Open { get; } = new(capacity);

    public NumericColumn High { get; } = new(capacity);

    public NumericColumn Low { get; } = new(capacity);

    public NumericColumn Close { get; } = new(capacity);

    public NumericColumn Volume { get; } = new(capacity);

    public NumericColumn QuoteVolume { get; } = new(capacity);

    public NumericColumn Trades { get; } = new(capacity);

    public NumericColumn Vwap { get; } = new(capacity);

    /// <summary>Starts a row; every column then takes exactly one value (or missing) for it.</summary>
    public void StartRow(long openMs)
    {
        if (_count == _times.Length)
        {
            Array.Resize(ref _times, _times.Length * 2);
        }

        _times[_count++] = openMs;
    }

    public void CutShort(long cutMs) => (_cut ??= [])[_times[_count - 1]] = cutMs;

    public BarFrame Build() => _count == 0
        ? BarFrame.Empty
        : new BarFrame(
            _count,
            _times,
            Open.Build(),
            High.Build(),
            Low.Build(),
            Close.Build(),
            Volume.Build(),
            QuoteVolume.Any ? QuoteVolume.Build() : null,
            Trades.Any ? Trades.Build() : null,
            Vwap.Any ? Vwap.Build() : null,
            _cut);
}
