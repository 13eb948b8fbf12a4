using System.Net;
using Parley.Server.Http;
using Parley.Testing;

namespace Parley.Server.Tests.Security;

/// <summary>
/// Issue 17 item 11: the admin token is compared without telling its length, and can be given in a file rather than on
/// the command line (which every local user can read in the process list).
/// </summary>
public sealed class AdminTokenTests
{
    [Fact]
    public void Only_the_exact_token_is_accepted_whatever_its_length()
    {
        Assert.True(AdminEndpoints.Authorized("s3cret-token", "s3cret-token"));
        foreach (var wrong in new[] { "", "s3cret", "s3cret-token-and-more", "S3cret-token", "s3cret-tokeN" })
        {
            Assert.False(AdminEndpoints.Authorized(wrong, "s3cret-token"));
        }
        Assert.False(AdminEndpoints.Authorized(null, "s3cret-token"));
        // No token configured: nothing is accepted, not even an empty one.
        Assert.False(AdminEndpoints.Authorized("", ""));
    }

    [Fact]
    public async Task The_admin_token_may_be_read_from_a_file()
    {
        var file = Path.Combine(Path.GetTempPath(), $"parley-admin-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(file, "from-a-file-token\n");
        try
        {
            await using var server = await ServerProcess.StartAsync(args: [$"--Parley:Cluster:AdminTokenFile={file}"]);
            using var http = server.CreateHttpClient();
            foreach (var (token, expected) in new[] { ("from-a-file-token", HttpStatusCode.OK), ("from-a-file", HttpStatusCode.Unauthorized) })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "v1/admin/cluster");
                request.Headers.Authorization = new("Bearer", token);
                using var response = await http.SendAsync(request);
                Assert.Equal(expected, response.StatusCode);
            }
        }
        finally
        {
            File.Delete(file);
        }
    }
}
