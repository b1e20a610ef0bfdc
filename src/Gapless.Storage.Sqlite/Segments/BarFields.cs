using Gapless.Core.Model;

namespace Gapless.Storage.Sqlite.Segments;

/// <summary>Reads one decimal field of a bar; a static abstract so the extractor's loop is specialised per field.</summary>
internal interface IBarField
{
    static abstract decimal? Get(in Bar bar);
}

internal readonly struct OpenField : IBarField
{
    public static decimal? Get(in Bar bar) => bar.Open;
}

internal readonly struct HighField : IBarField
{
    public static decimal? Get(in Bar bar) => bar.High;
}

internal readonly struct LowField : IBarField
{
    public static decimal? Get(in Bar bar) => bar.Low;
}

internal readonly struct CloseField : IBarField
{
    public static decimal? Get(in Bar bar) => bar.Close;
}

internal readonly struct VolumeField : IBarField
{
    public static decimal? Get(in Bar bar) => bar.Volume;
}

internal readonly struct QuoteVolumeField : IBarField
{
    public static decimal? Get(in Bar bar) => bar.QuoteVolume;
}

internal readonly struct VwapField : IBarField
{
    public static decimal? Get(in Bar bar) => bar.Vwap;
}
