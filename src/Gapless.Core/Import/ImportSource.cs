using Gapless.Core.Model;

namespace Gapless.Core.Import;

/// <summary>
/// One input of an import: a file's bars and the time span the file proves. The bars are read lazily by whoever made
/// the source (the file reader owns the I/O); the importer only enumerates them, once, in the order given.
/// </summary>
/// <param name="Name">How the user knows the input (a path); used in reports, messages and the fetch log.</param>
/// <param name="Span">
/// The whole span the file answers for, when its name says so (a Binance daily archive spans its UTC day, a monthly
/// one its month): recorded as coverage even where the file has no bar, and bars outside it are quarantined. When
/// null, the file proves the span from its first bar's open to its last bar's close.
/// </param>
/// <param name="Bars">The file's bars in ascending open-time order (equal open times allowed: duplicates are judged by the validator).</param>
public sealed record ImportSource(string Name, TimeRange? Span, IAsyncEnumerable<Bar> Bars);
