using Gapless.Core.Model;

namespace Gapless.Core.Import;

/// <summary>What an import did with one file.</summary>
/// <param name="Name">The file, as the user named it.</param>
/// <param name="Covered">The span the file proves (its name's span, or first bar open → last bar close); null when it held no bar and its name says nothing.</param>
/// <param name="BarsRead">Bars the file holds (rows read).</param>
/// <param name="BarsStored">Bars newly stored.</param>
/// <param name="BarsQuarantined">Bars rejected, with reasons (bad values, off the grid, outside the file's span, a different value than a bar already held).</param>
/// <param name="Commits">Store transactions made for the file (0 when everything was already held).</param>
/// <param name="Quarantined">The first quarantined bars with their reasons (<see cref="ImportOptions.MaxQuarantineSamples"/>).</param>
public sealed record ImportFileReport(
    string Name,
    TimeRange? Covered,
    long BarsRead,
    long BarsStored,
    long BarsQuarantined,
    int Commits,
    IReadOnlyList<QuarantinedBar> Quarantined)
{
    /// <summary>Bars not stored because the same bar was already held (an identical row, or the same bar from an earlier import).</summary>
    public long BarsDuplicate => BarsRead - BarsStored - BarsQuarantined;
}

/// <summary>The result of an import: per file, and in total.</summary>
/// <param name="Series">The series imported into.</param>
/// <param name="Files">Per file, in import order.</param>
/// <param name="CoverageBefore">The series' coverage when the import started.</param>
/// <param name="CoverageAdded">Coverage the import added: the files' spans minus what was covered before.</param>
/// <param name="Elapsed">Wall time.</param>
public sealed record ImportReport(
    Series Series,
    IReadOnlyList<ImportFileReport> Files,
    RangeSet CoverageBefore,
    RangeSet CoverageAdded,
    TimeSpan Elapsed)
{
    public long BarsRead => Files.Sum(f => f.BarsRead);

    public long BarsStored => Files.Sum(f => f.BarsStored);

    public long BarsQuarantined => Files.Sum(f => f.BarsQuarantined);

    public long BarsDuplicate => Files.Sum(f => f.BarsDuplicate);

    public int Commits => Files.Sum(f => f.Commits);

    /// <summary>Every span the files prove, merged.</summary>
    public RangeSet Covered => RangeSet.Of(Files.Where(f => f.Covered is not null).Select(f => f.Covered!.Value));
}

/// <summary>Progress of an import, reported after each commit (or skipped chunk) and at the end of each file.</summary>
/// <param name="Series">The series imported into.</param>
/// <param name="File">The file being read.</param>
/// <param name="FilesDone">Files finished.</param>
/// <param name="FilesTotal">Files in the import.</param>
/// <param name="BarsRead">Bars read so far, all files.</param>
/// <param name="BarsStored">Bars newly stored so far, all files.</param>
public sealed record ImportProgress(Series Series, string File, int FilesDone, int FilesTotal, long BarsRead, long BarsStored);
