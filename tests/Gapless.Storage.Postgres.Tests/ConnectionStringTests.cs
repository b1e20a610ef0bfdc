using Gapless.Core.Errors;
using Gapless.Storage.Postgres.Internal;
using Npgsql;

namespace Gapless.Storage.Postgres.Tests;

/// <summary>What <c>--db</c> may hold: URLs, libpq key=value and Npgsql strings; and no message ever shows a password.</summary>
public sealed class ConnectionStringTests
{
    [Theory]
    [InlineData("postgres://user:pass@db.example.com:6543/market")]
    [InlineData("postgresql://user:pass@db.example.com:6543/market")]
    [InlineData("POSTGRES://user:pass@db.example.com:6543/market")]
    public void Url_GivesHostPortDatabaseUserAndPassword(string url)
    {
        var b = ConnectionStrings.Parse(url);

        Assert.Equal(("db.example.com", 6543, "market", "user", "pass"), (b.Host, b.Port, b.Database, b.Username, b.Password));
        Assert.Equal("postgres://user@db.example.com:6543/market", ConnectionStrings.Describe(b));
    }

    [Fact]
    public void Url_WithEscapesQueryParametersAndNoPort_MapsThemToNpgsql()
    {
        var b = ConnectionStrings.Parse("postgres://gap%40less:p%40ss%2Fw%3Ard@localhost/my%20db?sslmode=verify-full&application_name=worker-3&connect_timeout=7&options=-c%20search_path%3Dgapless");

        Assert.Equal(("localhost", 5432, "my db", "gap@less", "p@ss/w:rd"), (b.Host, b.Port, b.Database, b.Username, b.Password));
        Assert.Equal(SslMode.VerifyFull, b.SslMode);
        Assert.Equal("worker-3", b.ApplicationName);
        Assert.Equal(7, b.Timeout);
        Assert.Equal("-c search_path=gapless", b.Options);
    }

    [Fact]
    public void Url_WithAnUnescapedAtSignSlashOrQuestionMarkInThePassword_StillParses()
    {
        var b = ConnectionStrings.Parse("postgres://u:a@b/c?d@host:5433/db?sslmode=disable");

        Assert.Equal(("host", 5433, "db", "u", "a@b/c?d", SslMode.Disable), (b.Host, b.Port, b.Database, b.Username, b.Password, b.SslMode));
    }

    [Fact]
    public void Url_WithIpv6OrSeveralHosts_KeepsThem()
    {
        var v6 = ConnectionStrings.Parse("postgres://u@[::1]:5444/db");
        var many = ConnectionStrings.Parse("postgres://u@h1:5432,h2:5433/db?target_session_attrs=primary");

        Assert.Equal(("::1", 5444), (v6.Host, v6.Port));
        Assert.Equal("h1:5432,h2:5433", many.Host);
        Assert.Equal(TargetSessionAttributes.Primary, Enum.Parse<TargetSessionAttributes>(many.TargetSessionAttributes!, ignoreCase: true));
    }

    [Fact]
    public void KeyValue_LibpqStyle_WithQuotesAndEscapes()
    {
        var b = ConnectionStrings.Parse(@"host=10.0.0.5 port = 5433 dbname=market user=gapless password='a \'quoted\' pass\\word' sslmode=require");

        Assert.Equal(("10.0.0.5", 5433, "market", "gapless", SslMode.Require), (b.Host, b.Port, b.Database, b.Username, b.SslMode));
        Assert.Equal(@"a 'quoted' pass\word", b.Password);
    }

    [Fact]
    public void KeyValue_NpgsqlStyle_PassesThrough()
    {
        var b = ConnectionStrings.Parse("Host=pg;Port=5439;Database=d;Username=u;Password=secret;Maximum Pool Size=7");

        Assert.Equal(("pg", 5439, "d", "u", "secret", 7), (b.Host, b.Port, b.Database, b.Username, b.Password, b.MaxPoolSize));
        Assert.Equal("postgres://u@pg:5439/d", ConnectionStrings.Describe(b));
    }

    [Theory]
    [InlineData("postgres://u:hunter2@h:notaport/db")]
    [InlineData("postgres://u:hunter2@h/db?nonsense_parameter=1")]
    [InlineData("postgres://u:hunter2@h/db?sslmode=sometimes")]
    [InlineData("host=h user=u password=hunter2 with-space")]
    [InlineData("host=h user=u password='hunter2")]
    [InlineData("Host=h;Password=hunter2;Bogus Key=1")]
    public void Invalid_FailsWithAMessageThatNeverShowsThePassword(string connection)
    {
        var error = Assert.Throws<InvalidRequestException>(() => ConnectionStrings.Parse(connection));

        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains("postgres://user:password@host:port/database", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgres://u@h/db", true)]
    [InlineData("postgresql://h/db", true)]
    [InlineData("host=localhost dbname=market", true)]
    [InlineData("dbname=market", true)]
    [InlineData("Host=pg;Database=d", true)]
    [InlineData("gapless.db", false)]
    [InlineData("/var/data/gapless.db", false)]
    [InlineData("./data/host.db", false)]
    [InlineData("C:\\data\\gapless.db", false)]
    [InlineData("file.db?mode=ro", false)]
    [InlineData("", false)]
    public void LooksLikePostgres_TellsDatabasesFromFiles(string location, bool expected)
        => Assert.Equal(expected, PostgresMarketStore.LooksLikePostgres(location));
}
