using System.Text.Json.Nodes;
using Parley.Conformance.Tests.Harness;

namespace Parley.Conformance.Tests.Messages;

/// <summary>
/// The body is stored and forwarded byte for byte — whitespace, key order, number spelling and
/// escapes unchanged, live and in history. Compared as the exact text inside the received frames.
/// </summary>
public sealed class BodyFidelityTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private TestServer Server => shared.Server;

    public static TheoryData<string> Bodies => new()
    {
        "{ \"z\" : 1.0e2,\n\t\"a\":[ -0.0, 1E-7 , 100, 1.50 ],\"\\u00e9t\\u00e9\" : \"caf\\u00e9 \\ud83d\\ude00 \\\"q\\\" \\/ \\n\\t\",  \"n\":null ,\"t\" : true,\"nested\":{\"b\":2,\"a\":1}  }",
        "\"caf\\u00e9 \\u0041\\/\\t \\\"quoted\\\" \\\\ end\"",
        "\"h\u00e9llo w\u00f6rld \U0001F600 \u65e5\u672c\"",
        "{\"\u043a\u043b\u044e\u0447\":\"\u0437\u043d\u0430\u0447\u0435\u043d\u0438\u0435\",\"emoji\":\"\U0001F600\"}",
        "{\"big\":123456789012345678901234567890,\"pi\":3.14159265358979323846264338327950288,\"neg\":-1E+2}",
        "\"nul \\u0000 unit \\u001f <script>&amp;\"",
        "{}",
        "\"\"",
        "{\"a\":{\"b\":{\"c\":[{\"d\":[]},{}]}},\"body\":\"a key named body\"}",
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task The_body_reaches_the_recipient_the_senders_other_device_and_history_byte_for_byte(string body)
    {
        var phone = await Server.NewUserAsync("alice");
        var laptop = await Server.LoginAsync(phone);
        var bob = await Server.NewUserAsync("bob");
        await using var phoneClient = await Server.ConnectAsync(phone);
        await using var laptopClient = await Server.ConnectAsync(laptop);
        await using var bobClient = await Server.ConnectAsync(bob);

        var reply = await phoneClient.SendOkAsync(bob.Username, body);

        var live = await bobClient.NextEventAsync("message");
        Assert.Equal(body, RawJson.Value(live.Raw, "body"));
        var synced = await laptopClient.NextEventAsync("message");
        Assert.Equal(body, RawJson.Value(synced.Raw, "body"));
        var history = await bobClient.OkAsync(new JsonObject { ["type"] = "history", ["conv"] = reply.Str("conv") });
        Assert.Equal([body], RawJson.Values(history.Raw, "body"));
    }
}
