using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Gapless.Testing.Postgres;

/// <summary>
/// A throwaway PostgreSQL cluster for one test run, made from the machine's server binaries: <c>initdb</c> into a
/// temp folder, <c>pg_ctl start</c> on 127.0.0.1 and a free port, trust authentication for user <c>postgres</c>, no
/// fsync. The server refuses to run as root, so as root the folder is given to <c>postgres</c> and the binaries run
/// through <c>runuser -u postgres --</c>. Stopped and deleted by <see cref="Stop"/>, by a process-exit handler, and,
/// should this process be killed, by a watchdog shell that waits for it to die; a later run also removes clusters
/// whose owning process is gone.
/// </summary>
internal sealed class PostgresCluster
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), "gapless-pg-tests");

    private readonly string _bin;
    private readonly string _folder;
    private int _stopped;

    private PostgresCluster(string bin, string folder, int port)
    {
        _bin = bin;
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    private string DataFolder => Path.Combine(_folder, "data");

    private static bool IsRoot => Environment.UserName == "root";

    /// <exception cref="InvalidOperationException">The server could not be created or started; the message says why.</exception>
    public static async Task<PostgresCluster> StartAsync()
    {
        var bin = FindBinaries();
        CleanStale(bin);
        var folder = Path.Combine(Root, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "owner.pid"), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        if (IsRoot)
        {
            await RunAsync("chown", ["postgres", folder], "give the cluster folder to the postgres user");
        }

        var cluster = new PostgresCluster(bin, folder, FreePort());
        try
        {
            await cluster.InitAsync();
            return await cluster.StartServerAsync();
        }
        catch
        {
            cluster.Stop();
            throw;
        }
    }

    /// <summary>Stops the server at once and deletes its folder. Safe to call more than once.</summary>
    public void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        StopAndDelete(_bin, _folder);
    }

    private async Task InitAsync()
    {
        await RunAsync(
            Path.Combine(_bin, "initdb"),
            ["-D", DataFolder, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"],
            "initdb",
            asPostgres: true);
    }

    private async Task<PostgresCluster> StartServerAsync()
    {
        // The port was free a moment ago; if another process took it meanwhile, try a new one.
        var cluster = this;
        for (var attempt = 1; ; attempt++)
        {
            var options = string.Join(
                ' ',
                $"-p {cluster.Port} -k {_folder} -c listen_addresses=127.0.0.1",
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off",
                "-c shared_buffers=32MB -c max_connections=300 -c max_locks_per_transaction=256");
            try
            {
                await RunAsync(
                    Path.Combine(_bin, "pg_ctl"),
                    ["-D", DataFolder, "-o", options, "-l", Path.Combine(_folder, "server.log"), "-w", "-t", "30", "start"],
                    "pg_ctl start",
                    asPostgres: true);
                StartWatchdog(_bin, _folder);
                AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Stop();
                return cluster;
            }
            catch (InvalidOperationException) when (attempt < 3 && ServerLog(_folder).Contains("could not bind", StringComparison.Ordinal))
            {
                cluster = new PostgresCluster(_bin, _folder, FreePort());
            }
            catch (InvalidOperationException e)
            {
                throw new InvalidOperationException($"{e.Message} Server log: {Tail(ServerLog(_folder))}", e);
            }
        }
    }

    private static string FindBinaries()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("GAPLESS_PG_BIN");
        var candidates = new List<string>();
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            candidates.Add(fromEnvironment);
        }

        if (Directory.Exists("/usr/lib/postgresql"))
        {
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
                .Select(d => Path.Combine(d, "bin")));
        }

        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")))
            ?? throw new InvalidOperationException(
                "No PostgreSQL server binaries (initdb, pg_ctl) in /usr/lib/postgresql/*/bin or GAPLESS_PG_BIN. "
                + "Install the postgresql-15 package, or set GAPLESS_TEST_POSTGRES to a connection string of a server where the user may CREATE DATABASE.");
    }

    /// <summary>Removes clusters left by runs whose process is gone (killed before its watchdog could act).</summary>
    private static void CleanStale(string bin)
    {
        if (!Directory.Exists(Root))
        {
            return;
        }

        foreach (var folder in Directory.GetDirectories(Root))
        {
            var ownerFile = Path.Combine(folder, "owner.pid");
            var alive = File.Exists(ownerFile)
                && int.TryParse(File.ReadAllText(ownerFile), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && IsAlive(pid);
            // A folder without owner.pid is being made by another run right now, unless it is old.
            var young = !File.Exists(ownerFile) && Directory.GetCreationTimeUtc(folder) > TimeProvider.System.GetUtcNow().UtcDateTime.AddMinutes(-10);
            if (!alive && !young)
            {
                StopAndDelete(bin, folder);
            }
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static void StopAndDelete(string bin, string folder)
    {
        var data = Path.Combine(folder, "data");
        if (File.Exists(Path.Combine(data, "postmaster.pid")))
        {
            using var stop = Process.Start(Start(Path.Combine(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "-t", "10", "stop"], asPostgres: true));
            stop?.WaitForExit(15_000);
        }

        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // The watchdog or the OS temp cleaner gets it.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>A detached shell that stops the server and deletes the folder once this process has died, however it died.</summary>
    private static void StartWatchdog(string bin, string folder)
    {
        var data = Path.Combine(folder, "data");
        var asPostgres = IsRoot ? "runuser -u postgres -- " : string.Empty;
        var script = string.Join(
            "; ",
            "exec </dev/null >/dev/null 2>&1",
            $"while kill -0 {Environment.ProcessId}; do sleep 1; done",
            $"[ -f '{data}/postmaster.pid' ] && {asPostgres}'{bin}/pg_ctl' -D '{data}' -m immediate stop",
            $"rm -rf '{folder}'");
        var info = new ProcessStartInfo("setsid", ["sh", "-c", script]) { UseShellExecute = false };
        using var watchdog = Process.Start(info);
    }

    private static async Task RunAsync(string file, IReadOnlyList<string> arguments, string step, bool asPostgres = false)
    {
        var info = Start(file, arguments, asPostgres);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"PostgreSQL test server: could not run {step} ({file}).");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"PostgreSQL test server could not start: {step} exited with code {process.ExitCode}: {Tail(await error + await output)}. "
                + "Set GAPLESS_TEST_POSTGRES to a connection string of a server where the user may CREATE DATABASE to use an existing server instead.");
        }
    }

    private static ProcessStartInfo Start(string file, IReadOnlyList<string> arguments, bool asPostgres)
    {
        var info = asPostgres && IsRoot
            ? new ProcessStartInfo("runuser", ["-u", "postgres", "--", file, .. arguments])
            : new ProcessStartInfo(file, arguments);
        info.UseShellExecute = false;
        return info;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string ServerLog(string folder)
    {
        try
        {
            return File.ReadAllText(Path.Combine(folder, "server.log"));
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    private static string Tail(string text)
    {
        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length <= 600 ? line : "…" + line[^600..];
    }
}
