using System.Text.Json;
using Parley.Testing;

namespace Parley.LoadTest.Tests;

/// <summary>The load tool's pairs scenario, run as a process against a real server for a few seconds.</summary>
public sealed class PairsSmokeTests
{
    [Fact]
    public async Task Pairs_run_delivers_every_stored_message_once_and_writes_both_reports()
    {
        await using var server = await ServerProcess.StartAsync();
        var dir = Directory.CreateTempSubdirectory("parley-loadtest-test-").FullName;
        var report = Path.Combine(dir, "pairs");
        try
        {
            var (exit, output) = await LoadTool.RunAsync(
                "pairs", "--url", server.BaseUri.AbsoluteUri, "--prefix", "lt" + Guid.NewGuid().ToString("N")[..6] + "_",
                "--users", "4", "--window", "4", "--duration", "3", "--warmup", "1", "--drain", "20",
                "--server-pid", server.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "--report", report);

            Assert.True(exit == 0, output);
            Assert.True(File.Exists(report + ".md"), output);
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report + ".json"));
            var root = json.RootElement;
            Assert.True(root.GetProperty("passed").GetBoolean(), output);
            var figures = root.GetProperty("figures").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!, f => f.GetProperty("value").GetDouble());
            Assert.Equal(0, figures["lost"]);
            Assert.Equal(0, figures["duplicates"]);
            Assert.Equal(0, figures["errors"]);
            Assert.True(figures["messages stored (ok)"] > 0, output);
            Assert.Equal(figures["messages stored (ok)"], figures["messages delivered"]);
            Assert.Contains(root.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("option").GetString() == "--window" && p.GetProperty("value").GetString() == "4");
            Assert.True(root.GetProperty("serverCpu").GetProperty("microsPerUnit").GetDouble() > 0, output);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
