using System.Xml;
using System.Xml.Linq;

namespace Gapless.Backtesting.Tests.Reporting;

/// <summary>Parses a report page as XML (the writer promises well-formed markup) and finds things in it.</summary>
internal static class ReportHtml
{
    public static XDocument Parse(string html)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, XmlResolver = null };
        using var reader = XmlReader.Create(new StringReader(html), settings);
        return XDocument.Load(reader);
    }

    public static XElement ById(XDocument doc, string id)
        => doc.Descendants().SingleOrDefault(e => (string?)e.Attribute("id") == id)
            ?? throw new Xunit.Sdk.XunitException($"no element with id '{id}'");

    /// <summary>The text of every cell of every body row of the table under the element with the given id.</summary>
    public static List<List<string>> BodyRows(XDocument doc, string sectionId)
        => [.. ById(doc, sectionId).Descendants("tbody").Descendants("tr")
            .Select(tr => tr.Elements().Select(td => td.Value).ToList())];
}
