using Spectre.Console;

namespace Gapless.Cli.Output;

/// <summary>A table for people: boxed on a terminal, tab-separated plain lines when redirected.</summary>
internal sealed class HumanTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public string? Title { get; init; }

    private bool HasHeaders => headers.Any(h => h.Length > 0);

    public HumanTable Add(params string[] cells)
    {
        _rows.Add(cells);
        return this;
    }

    public void Write(CliConsole console)
    {
        if (!console.OutIsTerminal)
        {
            if (Title is not null)
            {
                console.Out.WriteLine(Title);
            }

            if (HasHeaders)
            {
                console.Out.WriteLine(string.Join('\t', headers));
            }

            foreach (var row in _rows)
            {
                console.Out.WriteLine(string.Join('\t', row));
            }

            return;
        }

        var table = new Table().RoundedBorder();
        if (Title is not null)
        {
            table.Title(Markup.Escape(Title));
        }

        foreach (var h in headers)
        {
            table.AddColumn(new TableColumn(Markup.Escape(h)));
        }

        if (!HasHeaders)
        {
            table.HideHeaders();
        }

        foreach (var row in _rows)
        {
            table.AddRow(row.Select(c => new Markup(Markup.Escape(c))).ToArray<Spectre.Console.Rendering.IRenderable>());
        }

        AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(console.Out) }).Write(table);
    }
}
