using System.Diagnostics;
using Parley.Server.Tests.Media;
using Parley.Testing;
using static Parley.Server.Tests.PresenceWire;
using static Parley.Testing.TestNames;

namespace Parley.Server.Tests.Security;

/// <summary>
/// Issue 17 item 10: ffmpeg reads untrusted files with its demuxer named, local files only, and under limits on CPU time
/// and memory. A stand-in ffmpeg (a shell script, as ffmpeg is not installed on the test machines) records how it was
/// started, or burns CPU.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FfmpegLimitTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("parley-ffmpeg-").FullName;

    private string FakeFfmpeg(string body)
    {
        var path = Path.Combine(_dir, "ffmpeg");
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    [Fact]
    public async Task Ffmpeg_is_told_the_container_allowed_local_files_only_and_runs_under_cpu_and_memory_limits()
    {
        var record = Path.Combine(_dir, "called");
        // Records its limits and arguments, then writes the "thumbnail" (its last argument, a file: URL).
        var ffmpeg = FakeFfmpeg($$"""
            { echo "cpu=$(ulimit -t) as=$(ulimit -v)"; printf '%s\n' "$@"; } > '{{record}}'
            for last; do :; done
            printf 'JPEG' > "${last#file:}"
            """);
        await using var server = await ServerProcess.StartAsync(args:
            [$"--Parley:Media:Ffmpeg={ffmpeg}", "--Parley:Media:FfmpegCpuSeconds=7", $"--Parley:Media:FfmpegMemoryBytes={512L * 1024 * 1024}"]);
        var token = await WireClient.LoginAsync(server, Unique("f"));
        using var api = new MediaApi(server);

        var reply = await api.UploadOkAsync(token, "video/mp4", MediaFiles.Mp4(4096, 640, 360, 1000));
        Assert.True(reply.GetProperty("thumbnail").GetBoolean());
        var lines = await File.ReadAllLinesAsync(record);
        Assert.Equal($"cpu=7 as={512 * 1024}", lines[0]);
        var args = lines[1..];
        int At(string arg) => Array.IndexOf(args, arg);
        Assert.True(At("-protocol_whitelist") >= 0 && args[At("-protocol_whitelist") + 1] == "file", string.Join(' ', args));
        var input = At("-i");
        Assert.StartsWith("file:", args[input + 1], StringComparison.Ordinal);
        // The demuxer is named before the input: no format detection on untrusted bytes.
        Assert.True(At("-f") >= 0 && At("-f") < input && args[At("-f") + 1] == "mov", string.Join(' ', args));
    }

    [Fact]
    public async Task An_ffmpeg_that_spins_is_stopped_by_its_cpu_limit_long_before_the_timeout()
    {
        var ffmpeg = FakeFfmpeg("while :; do :; done");
        await using var server = await ServerProcess.StartAsync(args:
            [$"--Parley:Media:Ffmpeg={ffmpeg}", "--Parley:Media:FfmpegCpuSeconds=1", "--Parley:Media:FfmpegTimeout=00:01:00"]);
        var token = await WireClient.LoginAsync(server, Unique("f"));
        using var api = new MediaApi(server);

        var clock = Stopwatch.StartNew();
        var reply = await api.UploadOkAsync(token, "video/mp4", MediaFiles.Mp4(4096, 640, 360, 1000));
        Assert.False(reply.GetProperty("thumbnail").GetBoolean());
        // One CPU second; on a busy machine that may take some wall time, but far from the minute's timeout.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"the upload took {clock.Elapsed}");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
