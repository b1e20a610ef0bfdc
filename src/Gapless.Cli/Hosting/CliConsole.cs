namespace Gapless.Cli;

/// <summary>Where the CLI writes, and whether a person is watching (a terminal) or a script (redirected).</summary>
internal sealed record CliConsole(TextWriter Out, TextWriter Error, bool OutIsTerminal, bool ErrorIsTerminal)
{
    public static CliConsole System => new(
        Console.Out,
        Console.Error,
        !Console.IsOutputRedirected,
        !Console.IsErrorRedirected);
}
