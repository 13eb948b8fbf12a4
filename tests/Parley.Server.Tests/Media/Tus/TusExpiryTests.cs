using System.Net;
using Parley.Testing;

namespace Parley.Server.Tests.Media.Tus;

/// <summary>Unfinished uploads are swept after Parley:Uploads:Expiry (a second here), their bytes with them.</summary>
public sealed class TusExpiryTests
{
    [Fact]
    public async Task An_unfinished_upload_is_gone_after_its_expiry()
    {
        await using var server = await ServerProcess.StartAsync(args: ["--Parley:Uploads:Expiry=00:00:01", "--Parley:Uploads:SweepInterval=00:00:00.200"]);
        var token = await WireClient.LoginAsync(server, "exp" + Guid.NewGuid().ToString("N")[..8]);
        using var tus = new TusApi(server);
        var upload = await tus.CreateOkAsync(token, 1000, "image/png");
        using (var patch = await tus.PatchAsync(token, upload, 0, new byte[200])) Assert.Equal(HttpStatusCode.NoContent, patch.StatusCode);

        await server.WaitForOutputAsync("Swept 1 expired resumable uploads", TimeSpan.FromSeconds(30));
        using var head = await tus.HeadAsync(token, upload);
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        Assert.Empty(Directory.GetFiles(Path.Combine(server.DataDir, "media", ".uploads")));
    }
}
