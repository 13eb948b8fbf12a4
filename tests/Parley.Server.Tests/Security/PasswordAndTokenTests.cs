using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Parley.Server.Auth;
using Parley.Testing;
using static Parley.Server.Tests.PresenceWire;
using static Parley.Testing.TestNames;

namespace Parley.Server.Tests.Security;

/// <summary>Issue 17 item 9: today's PBKDF2 iterations, rehashing at login when the setting rises, and sockets closed when their token expires.</summary>
public sealed class PasswordAndTokenTests
{
    private static string StoredHash(string dataDir, string user)
    {
        using var db = new SqliteConnection($"Data Source={Path.Combine(dataDir, "parley.db")};Mode=ReadOnly;Pooling=False");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT password_hash FROM users WHERE username = $u";
        cmd.Parameters.AddWithValue("$u", user);
        return (string)cmd.ExecuteScalar()!;
    }

    [Fact]
    public void New_hashes_take_600000_iterations_by_default_in_the_options_and_in_appsettings()
    {
        Assert.Equal(600_000, new AuthOptions().PasswordIterations);
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "Parley.slnx"))) root = root.Parent!;
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(root.FullName, "src", "Parley.Server", "appsettings.json")),
            new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        Assert.Equal(600_000, settings.RootElement.GetProperty("Parley").GetProperty("Auth").GetProperty("PasswordIterations").GetInt32());
    }

    [Fact]
    public async Task A_login_rehashes_a_password_whose_hash_has_fewer_iterations_than_the_setting()
    {
        var dataDir = Directory.CreateTempSubdirectory("parley-test-").FullName;
        try
        {
            var user = Unique("r");
            await using (var before = await ServerProcess.StartAsync(dataDir, ["--Parley:Auth:PasswordIterations=1000"]))
            {
                await WireClient.LoginAsync(before, user);
                Assert.StartsWith("pbkdf2-sha256$1000$", StoredHash(dataDir, user), StringComparison.Ordinal);
                await before.StopAsync();
            }
            await using var after = await ServerProcess.StartAsync(dataDir, ["--Parley:Auth:PasswordIterations=2000"]);
            await WireClient.LoginAsync(after, user, register: false);
            Assert.StartsWith("pbkdf2-sha256$2000$", StoredHash(dataDir, user), StringComparison.Ordinal);
            // The new hash is the same password.
            await WireClient.LoginAsync(after, user, register: false);
            using var http = after.CreateHttpClient();
            using var wrong = await http.PostAsJsonAsync("v1/sessions", new { username = user, password = "not-the-password" });
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task An_open_socket_is_closed_with_4401_when_its_token_expires()
    {
        await using var server = await ServerProcess.StartAsync(args: ["--Parley:Auth:TokenLifetime=00:00:03"]);
        // The token is issued after this, so it expires 3 s after this at the earliest (a loaded machine may take most
        // of that to log in and connect: the socket's own age says nothing).
        var beforeLogin = DateTime.UtcNow;
        var token = await WireClient.LoginAsync(server, Unique("e"));
        await using var socket = await WireClient.ConnectAsync(server, token);

        Assert.Equal(4401, await socket.ClosedAsync());
        Assert.True(DateTime.UtcNow - beforeLogin >= TimeSpan.FromSeconds(2.9), "closed before the token expired");
        // And the token opens nothing any more.
        await using var again = await WireClient.OpenAsync(server);
        await again.SendAsync(new { type = "hello", token });
        Assert.Equal(4401, await again.ClosedAsync());
    }
}
