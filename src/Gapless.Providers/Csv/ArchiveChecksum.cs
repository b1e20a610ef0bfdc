using System.Security.Cryptography;
using Gapless.Core.Import;

namespace Gapless.Providers.Csv;

/// <summary>
/// Checks a file against the <c>.CHECKSUM</c> file beside it, as data.binance.vision publishes one per archive
/// (<c>BTCUSDT-1m-2024-01-01.zip.CHECKSUM</c>): one line, the SHA-256 in hex, two spaces, the file's name
/// (<c>sha256sum</c>'s format; its binary marker <c>" *"</c> is accepted too).
/// </summary>
internal static class ArchiveChecksum
{
    public const string Suffix = ".CHECKSUM";

    /// <summary>True when a checksum file exists and matches; false when there is none.</summary>
    /// <exception cref="ImportDataException">The checksum file does not match the file, names another file, or is not a checksum line.</exception>
    public static async Task<bool> VerifyAsync(string path, string name, CancellationToken cancellationToken)
    {
        var sidecar = path + Suffix;
        if (!File.Exists(sidecar))
        {
            return false;
        }

        var fileName = Path.GetFileName(path);
        var text = await File.ReadAllTextAsync(sidecar, cancellationToken).ConfigureAwait(false);
        if (!TryParse(text, out var expected, out var named))
        {
            throw new ImportDataException(name + Suffix, 1, "is not a checksum line (SHA-256 in hex, two spaces, the file's name)");
        }

        if (!string.Equals(Path.GetFileName(named), fileName, StringComparison.Ordinal))
        {
            throw new ImportDataException(name + Suffix, 1, $"is the checksum of {named}, not of {fileName}");
        }

        byte[] hash;
        await using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan))
        {
            hash = await SHA256.HashDataAsync(file, cancellationToken).ConfigureAwait(false);
        }

        var actual = Convert.ToHexStringLower(hash);
        if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
        {
            throw new ImportDataException(
                name,
                null,
                $"checksum mismatch: its SHA-256 is {actual}, but {fileName}{Suffix} says {expected.ToLowerInvariant()}; the file is damaged or incomplete, download it again");
        }

        return true;
    }

    /// <summary>Reads <c>hex  name</c> (one line, surrounding white space ignored).</summary>
    public static bool TryParse(string text, out string sha256Hex, out string fileName)
    {
        sha256Hex = fileName = string.Empty;
        var line = text.Trim();
        if (line.Contains('\n', StringComparison.Ordinal) || line.Length < 67 || !Uri.IsHexDigit(line[0]))
        {
            return false;
        }

        var hex = line[..64];
        var separator = line.Substring(64, 2);
        if (!hex.All(Uri.IsHexDigit) || separator is not ("  " or " *"))
        {
            return false;
        }

        sha256Hex = hex;
        fileName = line[66..];
        return fileName.Length > 0;
    }
}
