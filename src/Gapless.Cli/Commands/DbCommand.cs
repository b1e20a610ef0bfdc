using System.CommandLine;
using System.Globalization;
using Gapless.Cli.Output;
using Gapless.Storage.Postgres;
using Gapless.Storage.Sqlite;

namespace Gapless.Cli.Commands;

/// <summary><c>gapless db migrate | info</c>: apply the schema; show what the store is and holds.</summary>
internal static class DbCommand
{
    public static Command Create(GlobalOptions global, CliConsole console)
    {
        var db = new Command("db", "The store itself: apply migrations, show its kind, schema and size");

        var migrate = new Command("migrate", "Apply pending schema migrations (opening the store does this too) and print the schema version");
        migrate.SetAction(async (parse, ct) =>
        {
            await using var store = await StoreFactory.OpenAsync(global.Read(parse).DbPath, ct).ConfigureAwait(false);
            var (kind, location, version) = store switch
            {
                SqliteMarketStore s => ("sqlite", s.Path, (await s.GetInfoAsync(ct).ConfigureAwait(false)).SchemaVersion),
                PostgresMarketStore p => ("postgres", p.Location, p.SchemaVersion),
                _ => ("unknown", "?", 0),
            };
            console.Out.WriteLine($"{kind} store {location}: schema version {version}, up to date");
            return ErrorMapping.Ok;
        });

        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of a table" };
        var info = new Command("info", "Show the store's kind, schema version, series and bar counts, size on disk and partitions");
        info.Add(json);
        info.SetAction(async (parse, ct) =>
        {
            await using var store = await StoreFactory.OpenAsync(global.Read(parse).DbPath, ct).ConfigureAwait(false);
            var facts = store switch
            {
                SqliteMarketStore s => FromSqlite(await s.GetInfoAsync(ct).ConfigureAwait(false)),
                PostgresMarketStore p => FromPostgres(await p.GetInfoAsync(ct).ConfigureAwait(false)),
                _ => throw new InvalidOperationException($"unknown store {store.GetType().Name}"),
            };
            Write(console, facts, parse.GetValue(json));
            return ErrorMapping.Ok;
        });

        db.Add(migrate);
        db.Add(info);
        return db;
    }

    private sealed record StoreFacts(string Kind, string Location, int SchemaVersion, long Series, long Bars, long Runs, long SizeBytes, IReadOnlyList<(string Name, long SizeBytes, long? Rows)> Partitions);

    private static StoreFacts FromSqlite(SqliteStoreInfo i)
        => new("sqlite", i.Path, i.SchemaVersion, i.SeriesCount, i.BarCount, i.RunCount, i.FileSizeBytes, []);

    private static StoreFacts FromPostgres(PostgresStoreInfo i)
        => new(i.Kind, i.Location, i.SchemaVersion, i.SeriesCount, i.BarCount, i.RunCount, i.SizeBytes, i.Partitions.Select(p => (p.Name, p.SizeBytes, p.EstimatedRows)).ToList());

    private static void Write(CliConsole console, StoreFacts f, bool json)
    {
        if (json)
        {
            JsonOutput.Write(console.Out, w =>
            {
                w.WriteStartObject();
                w.WriteString("kind", f.Kind);
                w.WriteString("location", f.Location);
                w.WriteNumber("schema_version", f.SchemaVersion);
                w.WriteNumber("series", f.Series);
                w.WriteNumber("bars", f.Bars);
                w.WriteNumber("runs", f.Runs);
                w.WriteNumber("size_bytes", f.SizeBytes);
                w.WriteStartArray("partitions");
                foreach (var p in f.Partitions)
                {
                    w.WriteStartObject();
                    w.WriteString("name", p.Name);
                    w.WriteNumber("size_bytes", p.SizeBytes);
                    if (p.Rows is { } rows)
                    {
                        w.WriteNumber("estimated_rows", rows);
                    }

                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            });
            return;
        }

        var table = new HumanTable("", "");
        table.Add("kind", f.Kind).Add("location", f.Location).Add("schema version", N(f.SchemaVersion))
            .Add("series", N(f.Series)).Add("bars", N(f.Bars)).Add("runs", N(f.Runs)).Add("size on disk", Size(f.SizeBytes))
            .Add("bytes per bar", f.Bars == 0 ? "-" : ((double)f.SizeBytes / f.Bars).ToString("0.0", CultureInfo.InvariantCulture));
        if (f.Partitions.Count > 0)
        {
            table.Add("partitions", $"{f.Partitions.Count}: {string.Join(", ", f.Partitions.Take(6).Select(p => p.Name))}{(f.Partitions.Count > 6 ? ", …" : "")}");
        }

        table.Write(console);
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Size(long bytes) => bytes switch
    {
        < 1 << 20 => $"{bytes / 1024.0:0.0} KiB",
        < 1 << 30 => $"{bytes / 1048576.0:0.0} MiB",
        _ => $"{bytes / 1073741824.0:0.00} GiB",
    };
}
