using System.Globalization;

namespace Gapless.Cli;

/// <summary>A plain append-only log of failures with their stack traces, beside the default store.</summary>
internal static class CliLog
{
    public static string Path { get; } = System.IO.Path.Combine(StoreLocator.DataFolder, "gapless.log");

    public static void Write(Exception exception)
    {
        try
        {
            Directory.CreateDirectory(StoreLocator.DataFolder);
            var line = string.Create(CultureInfo.InvariantCulture, $"{TimeProvider.System.GetUtcNow():O} {exception}{Environment.NewLine}");
            File.AppendAllText(Path, line);
        }
        catch (IOException)
        {
            // Logging must never turn one failure into two.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
