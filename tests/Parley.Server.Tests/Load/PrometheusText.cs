using System.Globalization;
using System.Text.RegularExpressions;
using Parley.Testing;

namespace Parley.Server.Tests.Load;

/// <summary>A scrape of <c>/metrics</c>: Prometheus text, read series by series.</summary>
internal sealed partial class PrometheusText
{
    private readonly List<(string Name, Dictionary<string, string> Labels, double Value)> _series = [];

    private PrometheusText(string text)
    {
        Text = text;
        foreach (var line in text.Split('\n'))
        {
            var m = SeriesLine().Match(line);
            if (!m.Success) continue;
            var labels = Label().Matches(m.Groups["labels"].Value).ToDictionary(l => l.Groups[1].Value, l => l.Groups[2].Value);
            _series.Add((m.Groups["name"].Value, labels, double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture)));
        }
    }

    public string Text { get; }

    /// <summary>The sum of the series named <paramref name="name"/> carrying all of <paramref name="labels"/>; 0 when there is none.</summary>
    public double Value(string name, params (string Label, string Value)[] labels) =>
        _series.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Label, out var v) && v == l.Value)).Sum(s => s.Value);

    public static async Task<PrometheusText> ScrapeAsync(ServerProcess server)
    {
        using var http = new HttpClient { BaseAddress = server.BaseUri, Timeout = WireClient.Timeout };
        using var response = await http.GetAsync(new Uri("metrics", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        return new PrometheusText(await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Scrapes until <paramref name="until"/> holds (counters are recorded just after the frames they count are
    /// written, so a client can see a frame a moment before its count moves). Returns the scrape that satisfied it,
    /// or fails with the last one after <paramref name="timeout"/>.
    /// </summary>
    public static async Task<PrometheusText> WaitAsync(ServerProcess server, Func<PrometheusText, bool> until, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var scrape = await ScrapeAsync(server);
            if (until(scrape)) return scrape;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the metrics never got there:\n" + scrape.Text);
            // The exporter caches a scrape for a moment; polling an external process's endpoint is the only way to see it change.
            await Task.Delay(100);
        }
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})?\s+(?<value>\S+)")]
    private static partial Regex SeriesLine();

    [GeneratedRegex("(\\w+)=\"([^\"]*)\"")]
    private static partial Regex Label();
}
