namespace Gapless.Cli;

/// <summary>Where the store lives: <c>--db</c>, else <c>GAPLESS_DB</c>, else the user's data folder.</summary>
internal static class StoreLocator
{
    public const string EnvironmentVariable = "GAPLESS_DB";

    public static string DataFolder { get; } = Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify),
        "gapless");

    public static string Resolve(string? option)
    {
        if (!string.IsNullOrWhiteSpace(option))
        {
            return option;
        }

        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        return string.IsNullOrWhiteSpace(fromEnvironment) ? Path.Combine(DataFolder, "gapless.db") : fromEnvironment;
    }
}
