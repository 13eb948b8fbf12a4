using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Parley.Testing;

namespace Parley.LoadTest.Tests;

/// <summary>
/// The idle scenario against a server that refuses upgrades (issue 15 item 6): it admits one socket awaiting its welcome
/// (<c>Parley:Gateway:MaxPendingHandshakes=1</c>) and the test holds that place until the tool has been refused a few
/// times. The tool must wait out each Retry-After and bring every connection online, never giving up on a refusal.
/// </summary>
public sealed partial class IdleAdmissionTests
{
    [Fact]
    public async Task Idle_connects_refused_with_503_are_tried_again_after_Retry_After_until_every_connection_is_online()
    {
        await using var server = await ServerProcess.StartAsync(args: ["--Parley:Gateway:MaxPendingHandshakes=1", "--Parley:Gateway:UpgradeRetryAfter=00:00:01"]);
        var dir = Directory.CreateTempSubdirectory("parley-loadtest-test-").FullName;
        var report = Path.Combine(dir, "idle");
        try
        {
            Task<(int Exit, string Output)> run;
            await using (await WireClient.OpenAsync(server))
            {
                run = LoadTool.RunAsync(
                    "idle", "--url", server.BaseUri.AbsoluteUri, "--prefix", "li" + Guid.NewGuid().ToString("N")[..6] + "_",
                    "--conns", "6", "--users", "2", "--connect-concurrency", "3", "--settle", "1", "--connect-bound", "90", "--timeout", "110",
                    "--report", report);
                // The place stays taken until the tool was refused at least once per connection in flight (and more).
                await Bounded.EventuallyAsync(async () => run.IsCompleted || await RefusedAsync(server) >= 4, "the tool's connects are refused");
            }
            var (exit, output) = await run;

            Assert.True(exit == 0, output);
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report + ".json"));
            var figures = json.RootElement.GetProperty("figures").EnumerateArray()
                .ToDictionary(f => f.GetProperty("name").GetString()!, f => f.GetProperty("value").GetDouble());
            Assert.Equal(6, figures["connections online"]);
            Assert.Equal(6, figures["still online after --settle"]);
            Assert.Equal(0, figures["errors"]);
            Assert.True(figures["upgrades refused (503/429), each tried again after its Retry-After"] >= 4, output);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The server's count of upgrades refused at its pending-handshake cap.</summary>
    private static async Task<double> RefusedAsync(ServerProcess server)
    {
        using var http = new HttpClient { BaseAddress = server.BaseUri, Timeout = WireClient.Timeout };
        var text = await http.GetStringAsync(new Uri("metrics", UriKind.Relative));
        return RefusedLine().Matches(text).Sum(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex("^parley_gateway_upgrades_refused_total\\{[^}]*reason=\"pending\"[^}]*\\} (\\S+)", RegexOptions.Multiline)]
    private static partial Regex RefusedLine();
}
