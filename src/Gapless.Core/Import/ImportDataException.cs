using Gapless.Core.Errors;

namespace Gapless.Core.Import;

/// <summary>
/// An input file cannot be read as bars: a line that does not parse, a checksum that does not match, rows out of
/// order. The message starts with <c>file:line:</c> where a line is to blame. What was committed before stays
/// committed with its coverage; once the file is fixed, importing again adds only what is missing.
/// </summary>
public sealed class ImportDataException : GaplessException
{
    public ImportDataException()
    {
    }

    public ImportDataException(string message)
        : base(message)
    {
    }

    public ImportDataException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <param name="file">The file as the user named it.</param>
    /// <param name="line">The 1-based line to blame, or null for the whole file.</param>
    /// <param name="problem">What is wrong, written for the user.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public ImportDataException(string file, long? line, string problem, Exception? innerException = null)
        : base(line is { } l ? $"{file}:{l}: {problem}" : $"{file}: {problem}", innerException)
    {
        File = file;
        Line = line;
    }

    /// <summary>The file to blame, as the user named it.</summary>
    public string? File { get; }

    /// <summary>The 1-based line to blame; null when the whole file is.</summary>
    public long? Line { get; }
}
