using System.Net;
using Parley.Testing;
using Xunit.Abstractions;
using static Parley.Testing.TestNames;

namespace Parley.Server.Tests.Media;

/// <summary>An upload is streamed: the server's memory does not grow with the file.</summary>
public sealed class UploadMemoryTests(ITestOutputHelper output)
{
    private const long VideoBytes = 100L * 1024 * 1024;
    // Buffering the body would cost at least its 100 MiB; streaming costs a buffer and Kestrel's pipe (about 1 MiB).
    // The bound leaves room for the GC's and the thread pool's own swings.
    private const long MaxGrowth = 48L * 1024 * 1024;

    [Fact]
    public async Task Uploading_a_100_MiB_video_keeps_the_server_memory_flat()
    {
        await using var server = await ServerProcess.StartAsync();
        var token = await WireClient.LoginAsync(server, Unique("mem"));
        using var api = new MediaApi(server);
        // A first, small upload runs the code once, so that what is measured is the upload, not JIT compilation.
        await api.UploadOkAsync(token, "video/mp4", MediaFiles.Mp4(100_000, 320, 240, 1000));

        var file = Path.Combine(server.DataDir, "upload.mp4");
        await using (var writer = File.Create(file))
        {
            await writer.WriteAsync(MediaFiles.Mp4Head(VideoBytes, 1920, 1080, 60_000));
            writer.SetLength(VideoBytes);
        }

        var before = ProcessStatus.Read(server.Pid, "VmRSS");
        await ProcessStatus.ResetPeakAsync(server.Pid);
        await using var content = File.OpenRead(file);
        var (status, reply) = await api.UploadAsync(token, "video/mp4", new StreamContent(content, 64 * 1024));
        var peak = ProcessStatus.Read(server.Pid, "VmHWM");
        var after = ProcessStatus.Read(server.Pid, "VmRSS");

        Assert.True(status == HttpStatusCode.Created, $"upload answered {(int)status}: {reply}");
        Assert.Equal(VideoBytes, reply.GetProperty("size").GetInt64());
        Assert.Equal((1920, 1080, 60_000L), (reply.GetProperty("width").GetInt32(), reply.GetProperty("height").GetInt32(), reply.GetProperty("durationMs").GetInt64()));
        output.WriteLine($"server RSS before {before / 1024} KiB, peak during the upload {peak / 1024} KiB, after {after / 1024} KiB");
        Assert.True(peak - before < MaxGrowth, $"the server grew from {before / 1024} KiB to a peak of {peak / 1024} KiB while a 100 MiB upload streamed");
    }
}
