using System.CommandLine;

namespace Gapless.Cli;

/// <summary>Options every command takes: where the store is and where the vendors are.</summary>
internal sealed class GlobalOptions
{
    public Option<string> Db { get; } = new("--db")
    {
        Description = "The store: a SQLite file path, or postgres://user:pass@host:port/db for a store shared by many workers (default: $GAPLESS_DB, else ~/.local/share/gapless/gapless.db)",
        Recursive = true,
    };

    public Option<string> BinanceUrl { get; } = new("--binance-url")
    {
        Description = "Binance base URL (default: $GAPLESS_BINANCE_URL, else https://api.binance.com; https://data-api.binance.vision needs no key and works where api.binance.com is restricted)",
        Recursive = true,
    };

    public void AddTo(RootCommand root)
    {
        root.Add(Db);
        root.Add(BinanceUrl);
    }

    public Settings Read(ParseResult parse) => new(
        StoreLocator.Resolve(parse.GetValue(Db)),
        FirstNonEmpty(parse.GetValue(BinanceUrl), Environment.GetEnvironmentVariable("GAPLESS_BINANCE_URL")));

    private static string? FirstNonEmpty(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));

    /// <summary>The resolved settings of one invocation.</summary>
    public sealed record Settings(string DbPath, string? BinanceUrl);
}
