using Parley.Conformance.Tests.Harness;

namespace Parley.Conformance.Tests.Gateway;

/// <summary>A malformed frame gets an error (with its rid when one could be read) and the socket stays open.</summary>
public sealed class MalformedFrameTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private TestServer Server => shared.Server;

    /// <summary>A frame (with <c>{me}</c> standing for the user's name) and the rid the error must carry, if any.</summary>
    public static TheoryData<string, string?> Frames => new()
    {
        { "this is not json", null },
        { "{\"type\":\"ping\",\"rid\":\"m0\"", null },
        { "[1,2,3]", null },
        { "\"ping\"", null },
        { """{"rid":"m1"}""", "m1" },
        { """{"type":"no_such_request","rid":"m2"}""", "m2" },
        { """{"type":5,"rid":"m3"}""", "m3" },
        { """{"type":"send","rid":"m4","cid":5,"to":"{me}","body":"hi"}""", "m4" },
        { """{"type":"send","rid":"m5","cid":"c5","to":"{me}","body":42}""", "m5" },
        { """{"type":"send","rid":"m6","to":"{me}","body":"hi"}""", "m6" },
        { """{"type":"send","rid":"m7","cid":"c7","to":"{me}"}""", "m7" },
        { """{"type":"send","rid":"m8","cid":"c8","body":"hi"}""", "m8" },
        { """{"type":"send","rid":"m9","cid":"c9","to":"{me}","body":null}""", "m9" },
        { """{"type":"send","rid":"m10","cid":"c10","to":"{me}","body":[1]}""", "m10" },
        { """{"type":"send","rid":"m11","cid":"c11","to":7,"body":"hi"}""", "m11" },
        { """{"type":"send","rid":"m12","cid":"c12","to":"{me}","body":"hi","kind":5}""", "m12" },
        { """{"type":"read","rid":"m13","conv":"d:{me}:{me}","upTo":"x"}""", "m13" },
        { """{"type":"read","rid":"m14","upTo":1}""", "m14" },
        { """{"type":"read","rid":"m15","conv":"d:{me}:{me}"}""", "m15" },
        { """{"type":"history","rid":"m16"}""", "m16" },
        { """{"type":"history","rid":"m17","conv":"d:{me}:{me}","limit":"ten"}""", "m17" },
        { """{"type":"history","rid":"m18","conv":"d:{me}:{me}","before":"x"}""", "m18" },
        { """{"type":"ack","seq":"x"}""", null },
        { """{"type":"ack"}""", null },
        { """{"type":"ping","rid":5}""", null },
    };

    [Theory]
    [MemberData(nameof(Frames))]
    public async Task A_malformed_frame_gets_bad_request_and_the_socket_stays_open(string frame, string? rid)
    {
        var alice = await Server.NewUserAsync("alice");
        await using var client = await Server.ConnectAsync(alice);

        await client.SendRawAsync(frame.Replace("{me}", alice.Username, StringComparison.Ordinal));

        var error = await client.NextAsync(f => f.IsError);
        Assert.Equal("bad_request", error.Str("code"));
        if (rid is not null) Assert.Equal(rid, error.Rid);
        await client.PingAsync();
        Assert.False(client.IsClosed);
        Assert.DoesNotContain(client.Received, f => f.Type == "message");
    }
}
