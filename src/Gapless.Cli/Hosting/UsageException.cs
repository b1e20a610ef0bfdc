namespace Gapless.Cli;

/// <summary>The command line is wrong (a malformed date, --from after --to): exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
