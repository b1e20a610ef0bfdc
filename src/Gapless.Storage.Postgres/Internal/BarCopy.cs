using System.Globalization;
using Gapless.Core.Model;
using Npgsql;
using NpgsqlTypes;

namespace Gapless.Storage.Postgres.Internal;

/// <summary>
/// Bars in and out through binary COPY. In: straight into <c>bars</c> when the series holds nothing in the chunk's
/// span (the usual case: chunks are what was missing); otherwise into a temporary staging table (dropped at commit),
/// then one <c>INSERT … SELECT … ON CONFLICT DO NOTHING</c> into <c>bars</c>, so bars already held are kept. Out:
/// <c>COPY (SELECT …) TO STDOUT (FORMAT BINARY)</c> straight into the frame's columns.
/// </summary>
internal static class BarCopy
{
    private const string Columns = "open_time, open, high, low, close, volume, quote_volume, trades, vwap, cut_short_at";

    /// <summary>
    /// Copies <paramref name="bars"/> (ascending, distinct) into a fresh staging table of the transaction.
    /// <paramref name="midway"/> (a test hook) runs once half the rows are sent.
    /// </summary>
    public static async Task StageAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<Bar> bars, Func<Task>? midway, CancellationToken cancellationToken)
    {
        await using (var create = new NpgsqlCommand(
            """
            CREATE TEMP TABLE gapless_staging (
                open_time timestamptz NOT NULL, open numeric NOT NULL, high numeric NOT NULL, low numeric NOT NULL,
                close numeric NOT NULL, volume numeric NOT NULL, quote_volume numeric, trades bigint, vwap numeric,
                cut_short_at timestamptz) ON COMMIT DROP;
            """,
            connection,
            transaction))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var importer = await connection.BeginBinaryImportAsync($"COPY gapless_staging ({Columns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        await WriteRowsAsync(importer, null, bars, midway, cancellationToken);
    }

    /// <summary>Answers one boolean: whether the series holds a bar with open time in [<paramref name="firstMs"/>, <paramref name="lastMs"/>].</summary>
    public static NpgsqlBatchCommand AnyHeldCommand(long seriesId, long firstMs, long lastMs)
    {
        var command = new NpgsqlBatchCommand("SELECT EXISTS (SELECT 1 FROM bars WHERE series_id = $1 AND open_time >= $2 AND open_time <= $3);");
        command.Parameters.AddWithValue(seriesId);
        command.Parameters.AddWithValue(PgTime.ToDateTime(firstMs));
        command.Parameters.AddWithValue(PgTime.ToDateTime(lastMs));
        return command;
    }

    /// <summary>
    /// Copies <paramref name="bars"/> (ascending, distinct) straight into <c>bars</c>: for a range the series holds no
    /// bar in, under its series lock, so no row can conflict. As fast as <c>psql \copy</c>.
    /// </summary>
    public static async Task CopyIntoBarsAsync(NpgsqlConnection connection, long seriesId, IReadOnlyList<Bar> bars, Func<Task>? midway, CancellationToken cancellationToken)
    {
        await using var importer = await connection.BeginBinaryImportAsync($"COPY bars (series_id, {Columns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        await WriteRowsAsync(importer, seriesId, bars, midway, cancellationToken);
    }

    private static async Task WriteRowsAsync(NpgsqlBinaryImporter importer, long? seriesId, IReadOnlyList<Bar> bars, Func<Task>? midway, CancellationToken cancellationToken)
    {
        for (var i = 0; i < bars.Count; i++)
        {
            if (midway is not null && i == bars.Count / 2)
            {
                await midway();
            }

            var bar = bars[i];
            await importer.StartRowAsync(cancellationToken);
            if (seriesId is { } id)
            {
                await importer.WriteAsync(id, NpgsqlDbType.Bigint, cancellationToken);
            }

            await importer.WriteAsync(PgTime.ToPgMicros(bar.OpenTimeMs), NpgsqlDbType.TimestampTz, cancellationToken);
            await importer.WriteAsync(bar.Open, NpgsqlDbType.Numeric, cancellationToken);
            await importer.WriteAsync(bar.High, NpgsqlDbType.Numeric, cancellationToken);
            await importer.WriteAsync(bar.Low, NpgsqlDbType.Numeric, cancellationToken);
            await importer.WriteAsync(bar.Close, NpgsqlDbType.Numeric, cancellationToken);
            await importer.WriteAsync(bar.Volume, NpgsqlDbType.Numeric, cancellationToken);
            await WriteAsync(importer, bar.QuoteVolume, cancellationToken);
            if (bar.Trades is { } trades)
            {
                await importer.WriteAsync(trades, NpgsqlDbType.Bigint, cancellationToken);
            }
            else
            {
                await importer.WriteNullAsync(cancellationToken);
            }

            await WriteAsync(importer, bar.Vwap, cancellationToken);
            if (bar.CutShortAtMs is { } cut)
            {
                await importer.WriteAsync(PgTime.ToPgMicros(cut), NpgsqlDbType.TimestampTz, cancellationToken);
            }
            else
            {
                await importer.WriteNullAsync(cancellationToken);
            }
        }

        await importer.CompleteAsync(cancellationToken);
    }

    /// <summary>Moves the staged bars into <c>bars</c>; returns how many were new (bars already held are kept).</summary>
    public static async Task<int> InsertStagedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long seriesId, CancellationToken cancellationToken)
    {
        await using var insert = new NpgsqlCommand(
            $"""
            INSERT INTO bars (series_id, {Columns})
            SELECT $1, {Columns} FROM gapless_staging ORDER BY open_time
            ON CONFLICT DO NOTHING;
            """,
            connection,
            transaction);
        insert.Parameters.AddWithValue(seriesId);
        return await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The bars of a series with open time in <paramref name="range"/>, ascending.</summary>
    public static async Task<BarFrame> ReadAsync(NpgsqlConnection connection, long seriesId, TimeRange range, int capacity, CancellationToken cancellationToken)
    {
        // COPY takes no parameters: the id is a number and the bounds are literals we format ourselves.
        var sql = string.Create(
            CultureInfo.InvariantCulture,
            $"COPY (SELECT {Columns} FROM bars WHERE series_id = {seriesId} AND open_time >= {PgTime.Literal(range.FromMs)} AND open_time < {PgTime.Literal(range.ToMs)} ORDER BY open_time) TO STDOUT (FORMAT BINARY)");
        var columns = new FrameColumns(capacity);
        await using (var exporter = await connection.BeginBinaryExportAsync(sql, cancellationToken))
        {
            // Numerics come as their wire bytes and are decoded straight to mantissas: no decimal on the way.
            while (await exporter.StartRowAsync(cancellationToken) != -1)
            {
                columns.StartRow(PgTime.FromPgMicros(await exporter.ReadAsync<long>(NpgsqlDbType.TimestampTz, cancellationToken)));
                await ReadNumericAsync(exporter, columns.Open, cancellationToken);
                await ReadNumericAsync(exporter, columns.High, cancellationToken);
                await ReadNumericAsync(exporter, columns.Low, cancellationToken);
                await ReadNumericAsync(exporter, columns.Close, cancellationToken);
                await ReadNumericAsync(exporter, columns.Volume, cancellationToken);
                await ReadNumericAsync(exporter, columns.QuoteVolume, cancellationToken);
                if (await ReadNullableAsync<long>(exporter, NpgsqlDbType.Bigint, cancellationToken) is { } trades)
                {
                    columns.Trades.Add(trades);
                }
                else
                {
                    columns.Trades.AddMissing();
                }

                await ReadNumericAsync(exporter, columns.Vwap, cancellationToken);
                if (await ReadNullableAsync<long>(exporter, NpgsqlDbType.TimestampTz, cancellationToken) is { } cut)
                {
                    columns.CutShort(PgTime.FromPgMicros(cut));
                }
            }
        }

        return columns.Build();
    }

    private static async Task WriteAsync(NpgsqlBinaryImporter importer, decimal? value, CancellationToken cancellationToken)
    {
        if (value is { } v)
        {
            await importer.WriteAsync(v, NpgsqlDbType.Numeric, cancellationToken);
        }
        else
        {
            await importer.WriteNullAsync(cancellationToken);
        }
    }

    private static async ValueTask ReadNumericAsync(NpgsqlBinaryExporter exporter, NumericColumn column, CancellationToken cancellationToken)
    {
        if (exporter.IsNull)
        {
            await exporter.SkipAsync(cancellationToken);
            column.AddMissing();
            return;
        }

        // Read as bytea: binary COPY carries no types, so this hands over numeric's wire form untouched.
        column.Add(await exporter.ReadAsync<byte[]>(NpgsqlDbType.Bytea, cancellationToken));
    }

    private static async ValueTask<T?> ReadNullableAsync<T>(NpgsqlBinaryExporter exporter, NpgsqlDbType type, CancellationToken cancellationToken)
        where T : struct
    {
        if (exporter.IsNull)
        {
            await exporter.SkipAsync(cancellationToken);
            return null;
        }

        return await exporter.ReadAsync<T>(type, cancellationToken);
    }
}
