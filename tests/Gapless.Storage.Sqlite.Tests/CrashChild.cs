using System.Globalization;
using Gapless.Core.Model;
using Gapless.Core.Ports;
using Gapless.Testing.Storage;

namespace Gapless.Storage.Sqlite.Tests;

/// <summary>
/// The entry point of this assembly when run as a child process (<c>dotnet exec …Tests.dll crash-child DB</c>):
/// commits one day of 1m bars after another, forever, printing each day once committed, until the test kills it.
/// </summary>
public static class CrashChild
{
    public const long T0 = 1_704_067_200_000;
    public const long Day = 86_400_000;
    public static readonly Series Series = new("binance", "BTCUSDT", Timeframe.M1);

    public static Bar[] BarsOfDay(int day) => SampleBars.BtcLike(T0 + (day * Day), 1440, seed: day);

    public static async Task<int> Main(string[] args)
    {
        if (args is not ["crash-child", var path])
        {
            return 2;
        }

        await using var store = await SqliteMarketStore.OpenAsync(path);
        for (var day = 0; ; day++)
        {
            var range = new TimeRange(T0 + (day * Day), T0 + ((day + 1) * Day));

            // Two commits per day (overlapping halves) so a kill often lands inside a segment rewrite.
            var bars = BarsOfDay(day);
            await store.CommitAsync(new ChunkCommit(Series, range, new TimeRange(range.FromMs, bars[900].OpenTimeMs), bars[..900], [], []));
            await store.CommitAsync(new ChunkCommit(Series, range, new TimeRange(bars[800].OpenTimeMs, range.ToMs), bars[800..], [], []));
            Console.WriteLine(day.ToString(CultureInfo.InvariantCulture));
        }
    }
}
