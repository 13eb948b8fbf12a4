using System.Text.Json;
using Parley.Cli.Tests.Support;
using Parley.Testing;

namespace Parley.Cli.Tests;

/// <summary><c>parley send --file</c> with a large file over a link that drops: the upload is resumed, not started again or lost.</summary>
public sealed class ResumableSendTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task A_large_file_whose_connection_drops_mid_upload_is_resumed_and_sent()
    {
        using var alice = await new CliUser(CliUser.NewName("alice"), server.BaseUri).SignUpAsync();
        using var bob = await new CliUser(CliUser.NewName("bob"), server.BaseUri).SignUpAsync();
        // Over the SDK's threshold (4 MiB), so the upload is resumable; text, so any bytes do.
        var file = RandomText.Letters(5 * 1024 * 1024);
        var path = Path.Combine(alice.ConfigHome, "notes.txt");
        await File.WriteAllBytesAsync(path, file);
        await using var proxy = CuttingProxy.Start(server.BaseUri);
        // Only the upload's connection carries 2 MB (the WebSocket's few frames stay far below).
        var cut = proxy.ArmAsync(afterBytes: 2_000_000);

        var sent = await alice.RunAsync("send", bob.Name, "--file", path, "--server", proxy.BaseUri.AbsoluteUri, "the notes");
        var download = await bob.RunAsync("download", alice.Name, "1", "--json");

        Assert.True(sent.ExitCode == 0, sent.ToString());
        Assert.True(cut.IsCompleted, "the proxy never cut the upload");
        Assert.Equal(1, proxy.Cuts);
        Assert.True(download.ExitCode == 0, download.ToString());
        using var saved = JsonDocument.Parse(download.Stdout);
        Assert.Equal("text/plain", saved.RootElement.GetProperty("mime").GetString());
        Assert.Equal(file, await File.ReadAllBytesAsync(saved.RootElement.GetProperty("path").GetString()!));
    }
}
