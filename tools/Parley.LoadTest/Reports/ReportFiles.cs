using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Parley.LoadTest.Reports;

/// <summary>Writes a report as <c>path.json</c> and <c>path.md</c>, and the Markdown to stdout.</summary>
public static class ReportFiles
{
    public static async Task WriteAsync(LoadReport report, string path, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        if (Path.GetDirectoryName(full) is { } dir) Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(full + ".json", JsonSerializer.Serialize(report, ReportJsonContext.Default.LoadReport), cancellationToken);
        var markdown = ToMarkdown(report);
        await File.WriteAllTextAsync(full + ".md", markdown, cancellationToken);
        Console.Out.Write(markdown);
        Console.Out.WriteLine($"report: {full}.md, {full}.json");
    }

    public static string ToMarkdown(LoadReport r)
    {
        var c = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.Append(c, $"# Parley load test: {r.Scenario} — {(r.Passed ? "passed" : "FAILED")}\n\n");
        md.Append(c, $"Server {r.Server}, started {r.StartedAt:u}, {r.ElapsedSeconds:0.#} s in all.\n\n");
        md.Append("## Parameters\n\n| option | value |\n| --- | --- |\n");
        foreach (var p in r.Parameters) md.Append(c, $"| `{p.Option}` | {p.Value} |\n");
        md.Append("\n## Figures\n\n| figure | value | unit |\n| --- | ---: | --- |\n");
        foreach (var f in r.Figures) md.Append(c, $"| {f.Name} | {Number(f.Value)} | {f.Unit} |\n");
        if (r.Latencies.Count > 0)
        {
            md.Append("\n## Latency (ms)\n\n| path | count | p50 | p90 | p99 | p99.9 | max | mean |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
            foreach (var l in r.Latencies)
            {
                var s = l.Ms;
                md.Append(c, $"| {l.Name} | {s.Count} | {s.P50} | {s.P90} | {s.P99} | {s.P999} | {s.Max} | {s.Mean} |\n");
            }
        }
        if (r.ServerCpu is { } cpu || r.ServerRssKib.Count > 0)
        {
            md.Append("\n## Server\n\n| figure | value |\n| --- | ---: |\n");
            if (r.ServerCpu is { } sc)
            {
                md.Append(c, $"| CPU time | {sc.TotalMs} ms |\n| CPU | {sc.CorePercent} % of a core |\n");
                if (sc.MicrosPerUnit is { } per) md.Append(c, $"| CPU per {sc.UnitName} | {per} µs |\n");
            }
            foreach (var m in r.ServerRssKib) md.Append(c, $"| {m.Name} | {Number(m.Value)} {m.Unit} |\n");
        }
        md.Append("\n## Checks\n\n| check | held | detail |\n| --- | --- | --- |\n");
        foreach (var k in r.Checks) md.Append(c, $"| {k.Name} | {(k.Held ? "yes" : "**no**")} | {k.Detail} |\n");
        return md.ToString();
    }

    private static string Number(double v) =>
        v == Math.Floor(v) && Math.Abs(v) < 1e15 ? v.ToString("#,0", CultureInfo.InvariantCulture) : v.ToString("#,0.###", CultureInfo.InvariantCulture);
}
