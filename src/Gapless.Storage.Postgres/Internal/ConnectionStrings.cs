using System.Globalization;
using System.Text;
using Gapless.Core.Errors;
using Npgsql;

namespace Gapless.Storage.Postgres.Internal;

/// <summary>
/// Turns what a user passes as <c>--db</c> into Npgsql settings: a URL (<c>postgres://user:pass@host:port/db?sslmode=require</c>,
/// also <c>postgresql://</c>), a libpq key=value string (<c>host=h port=5432 dbname=d user=u</c>), or an Npgsql
/// string (<c>Host=h;Username=u</c>). libpq parameter names are mapped to Npgsql's; any other parameter Npgsql knows
/// passes through. Error messages name the parameter at fault, never a value, so a password never shows.
/// </summary>
internal static class ConnectionStrings
{
    private const string Usage = "Use postgres://user:password@host:port/database or host=... dbname=... user=...";

    // libpq names (https://www.postgresql.org/docs/15/libpq-connect.html) that Npgsql spells differently.
    private static readonly Dictionary<string, string> LibpqNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["host"] = "Host",
        ["hostaddr"] = "Host",
        ["port"] = "Port",
        ["dbname"] = "Database",
        ["user"] = "Username",
        ["password"] = "Password",
        ["passfile"] = "Passfile",
        ["connect_timeout"] = "Timeout",
        ["application_name"] = "Application Name",
        ["options"] = "Options",
        ["sslmode"] = "SSL Mode",
        ["sslcert"] = "SSL Certificate",
        ["sslkey"] = "SSL Key",
        ["sslrootcert"] = "Root Certificate",
        ["sslpassword"] = "SSL Password",
        ["target_session_attrs"] = "Target Session Attributes",
        ["client_encoding"] = "Client Encoding",
        ["keepalives_idle"] = "Tcp Keepalive Time",
        ["keepalives_interval"] = "Tcp Keepalive Interval",
        ["krbsrvname"] = "Kerberos Service Name",
        ["search_path"] = "Search Path",
    };

    private static readonly Dictionary<string, string> SslModes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["disable"] = "Disable",
        ["allow"] = "Allow",
        ["prefer"] = "Prefer",
        ["require"] = "Require",
        ["verify-ca"] = "VerifyCA",
        ["verify-full"] = "VerifyFull",
    };

    private static readonly string[] LibpqKeys = ["host", "hostaddr", "port", "dbname", "user", "password", "sslmode", "service"];

    /// <summary>True for a <c>postgres://</c> or <c>postgresql://</c> URL, or a key=value string naming a host, database or user.</summary>
    public static bool LooksLikePostgres(string? location)
    {
        if (string.IsNullOrWhiteSpace(location))
        {
            return false;
        }

        var text = location.Trim();
        if (IsUrl(text))
        {
            return true;
        }

        // A key=value string: every token holds '=' and one names a connection parameter. A file path has no '='.
        var tokens = text.Split([' ', '\t', ';'], StringSplitOptions.RemoveEmptyEntries);
        return tokens.Length > 0
            && Array.TrueForAll(tokens, t => t.Contains('=', StringComparison.Ordinal) || t.StartsWith('\'') || t.EndsWith('\''))
            && tokens.Any(t => t.IndexOf('=', StringComparison.Ordinal) is var i and > 0
                && (LibpqKeys.Contains(t[..i].Trim(), StringComparer.OrdinalIgnoreCase)
                    || t[..i].Trim() is var k && (k.Equals("Server", StringComparison.OrdinalIgnoreCase) || k.Equals("Database", StringComparison.OrdinalIgnoreCase) || k.Equals("Username", StringComparison.OrdinalIgnoreCase))));
    }

    /// <exception cref="InvalidRequestException">The text is not a connection string this store understands.</exception>
    public static NpgsqlConnectionStringBuilder Parse(string connection)
    {
        var text = connection.Trim();
        var builder = new NpgsqlConnectionStringBuilder();
        if (IsUrl(text))
        {
            ParseUrl(text, builder);
        }
        else if (text.Contains(';', StringComparison.Ordinal))
        {
            try
            {
                builder.ConnectionString = text;
            }
            catch (ArgumentException)
            {
                throw new InvalidRequestException($"The PostgreSQL connection string is not valid (a key Npgsql does not know, or a value of the wrong kind). {Usage}");
            }
        }
        else
        {
            foreach (var (key, value) in ParseKeyValues(text))
            {
                Set(builder, key, value);
            }
        }

        if (string.IsNullOrEmpty(builder.Host))
        {
            builder.Host = "localhost";
        }

        return builder;
    }

    /// <summary>The database as <c>postgres://user@host:port/database</c>: what messages and <c>db info</c> show. Never the password.</summary>
    public static string Describe(NpgsqlConnectionStringBuilder builder)
    {
        var user = string.IsNullOrEmpty(builder.Username) ? string.Empty : Uri.EscapeDataString(builder.Username) + "@";
        var host = builder.Host ?? "localhost";
        var hostPart = host.Contains(',', StringComparison.Ordinal) || host.StartsWith('/')
            ? host
            : string.Create(CultureInfo.InvariantCulture, $"{host}:{builder.Port}");
        return $"postgres://{user}{hostPart}/{builder.Database ?? string.Empty}";
    }

    private static bool IsUrl(string text)
        => text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase);

    private static void ParseUrl(string url, NpgsqlConnectionStringBuilder builder)
    {
        var rest = url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..];

        // The last '@' ends the user info, so an unescaped '@', '/' or '?' in a password still parses.
        var at = rest.LastIndexOf('@');
        var query = string.Empty;
        if (rest.IndexOf('?', at + 1) is var q and >= 0)
        {
            query = rest[(q + 1)..];
            rest = rest[..q];
        }

        var database = string.Empty;
        if (rest.IndexOf('/', at + 1) is var slash and >= 0)
        {
            database = Decode(rest[(slash + 1)..], "database");
            rest = rest[..slash];
        }

        if (at >= 0)
        {
            var userInfo = rest[..at];
            rest = rest[(at + 1)..];
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            var user = colon >= 0 ? userInfo[..colon] : userInfo;
            if (user.Length > 0)
            {
                builder.Username = Decode(user, "user");
            }

            if (colon >= 0)
            {
                builder.Password = Decode(userInfo[(colon + 1)..], "password");
            }
        }

        if (rest.Length > 0)
        {
            SetHosts(builder, rest);
        }

        if (database.Length > 0)
        {
            builder.Database = database;
        }

        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new InvalidRequestException($"The PostgreSQL connection URL has a query parameter without '=value'. {Usage}");
            }

            var key = Decode(pair[..eq], "query parameter");
            Set(builder, key, Decode(pair[(eq + 1)..], key));
        }
    }

    /// <summary><c>host</c>, <c>host:port</c>, <c>[::1]:port</c>, or several of them separated by commas.</summary>
    private static void SetHosts(NpgsqlConnectionStringBuilder builder, string hostSpec)
    {
        var hosts = hostSpec.Split(',');
        if (hosts.Length > 1)
        {
            // Npgsql takes "h1:p1,h2:p2" for multiple hosts as libpq does.
            builder.Host = Decode(hostSpec, "host");
            return;
        }

        var host = hostSpec;
        string? port = null;
        if (host.StartsWith('['))
        {
            var close = host.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw new InvalidRequestException($"The PostgreSQL connection URL has an IPv6 host without its closing ']'. {Usage}");
            }

            port = host.Length > close + 1 && host[close + 1] == ':' ? host[(close + 2)..] : null;
            host = host[1..close];
        }
        else if (host.LastIndexOf(':') is var colon and >= 0)
        {
            port = host[(colon + 1)..];
            host = host[..colon];
        }

        if (host.Length > 0)
        {
            builder.Host = Decode(host, "host");
        }

        if (!string.IsNullOrEmpty(port))
        {
            Set(builder, "port", port);
        }
    }

    private static void Set(NpgsqlConnectionStringBuilder builder, string key, string value)
    {
        var name = LibpqNames.TryGetValue(key, out var mapped) ? mapped : key;
        if (name == "SSL Mode" && SslModes.TryGetValue(value, out var mode))
        {
            value = mode;
        }

        if (name == "Port" && !int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            throw new InvalidRequestException($"The PostgreSQL port is not a number. {Usage}");
        }

        if (key.Equals("service", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidRequestException("PostgreSQL service files (service=...) are not supported; give host, port, dbname and user instead.");
        }

        try
        {
            builder[name] = value;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            var what = IsSecret(name) ? $"the value of '{key}' is not valid" : $"'{Safe(key)}' is not a parameter Npgsql knows or its value is not valid";
            throw new InvalidRequestException($"The PostgreSQL connection string is not valid: {what}. {Usage}");
        }
    }

    private static bool IsSecret(string name)
        => name.Contains("Password", StringComparison.OrdinalIgnoreCase) || name.Contains("Key", StringComparison.OrdinalIgnoreCase);

    /// <summary>libpq's <c>key=value key='quoted \' value'</c> syntax.</summary>
    private static List<(string Key, string Value)> ParseKeyValues(string text)
    {
        var result = new List<(string, string)>();
        var i = 0;
        while (true)
        {
            SkipSpaces(text, ref i);
            if (i >= text.Length)
            {
                return result;
            }

            var start = i;
            while (i < text.Length && text[i] != '=' && !char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            var key = text[start..i];
            SkipSpaces(text, ref i);
            if (key.Length == 0 || i >= text.Length || text[i] != '=')
            {
                // Not echoed: an unquoted password holding a space leaves its second half here.
                throw new InvalidRequestException($"The PostgreSQL connection string is not valid: a word has no '=value' (quote values holding spaces: password='a b'). {Usage}");
            }

            i++;
            SkipSpaces(text, ref i);
            result.Add((key, ReadValue(text, ref i, key)));
        }
    }

    private static string ReadValue(string text, ref int i, string key)
    {
        var value = new StringBuilder();
        var quoted = i < text.Length && text[i] == '\'';
        if (quoted)
        {
            i++;
        }

        while (i < text.Length)
        {
            var c = text[i];
            if (quoted ? c == '\'' : char.IsWhiteSpace(c))
            {
                break;
            }

            if (c == '\\' && i + 1 < text.Length)
            {
                c = text[++i];
            }

            value.Append(c);
            i++;
        }

        if (quoted)
        {
            if (i >= text.Length)
            {
                throw new InvalidRequestException($"The PostgreSQL connection string is not valid: the value of '{Safe(key)}' has no closing quote. {Usage}");
            }

            i++;
        }

        return value.ToString();
    }

    private static void SkipSpaces(string text, ref int i)
    {
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }
    }

    private static string Decode(string text, string what)
    {
        try
        {
            return Uri.UnescapeDataString(text);
        }
        catch (UriFormatException)
        {
            throw new InvalidRequestException($"The PostgreSQL connection URL has a badly escaped {what}. {Usage}");
        }
    }

    /// <summary>A fragment safe to echo: short, one line. Only ever called on keys and non-secret values.</summary>
    private static string Safe(string text)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= 40 ? line : line[..40] + "…";
    }
}
