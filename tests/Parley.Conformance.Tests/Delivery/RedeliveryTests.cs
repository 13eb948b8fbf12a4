using Parley.Conformance.Tests.Harness;

namespace Parley.Conformance.Tests.Delivery;

/// <summary>Un-acked events are pushed again after AckTimeout (1 s here), then the socket is closed with 4409 (2 attempts here).</summary>
public sealed class RedeliveryTests(DeliveryServer delivery) : IClassFixture<DeliveryServer>
{
    private TestServer Server => delivery.Server;

    [Fact]
    public async Task An_event_not_acked_is_sent_again_after_the_ack_timeout_with_the_same_seq()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        await using var aliceClient = await Server.ConnectAsync(alice, autoAck: true);
        await using var bobClient = await Server.ConnectAsync(bob);

        var sent = await aliceClient.SendOkAsync(bob.Username, "\"again\"");
        var first = await bobClient.NextEventAsync("message");
        var second = await bobClient.NextEventAsync("message", timeout: Wait.Redelivery);

        Assert.Equal(first.Number("seq"), second.Number("seq"));
        Assert.Equal(sent.Str("id"), second.Str("id"));
        Assert.Equal(RawJson.Value(first.Raw, "body"), RawJson.Value(second.Raw, "body"));
        await bobClient.AckAsync(second.Number("seq"));
    }

    [Fact]
    public async Task A_device_that_never_acks_is_closed_with_4409_after_max_attempts()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        await using var aliceClient = await Server.ConnectAsync(alice, autoAck: true);
        await using var bobClient = await Server.ConnectAsync(bob);

        await aliceClient.SendOkAsync(bob.Username);

        Assert.Equal(4409, await bobClient.ClosedAsync(Wait.Redelivery));
        var pushes = bobClient.Received.Count(f => f.Type == "message");
        Assert.True(pushes == 2, $"expected 2 attempts (MaxAttempts=2), got {pushes}:\n{bobClient.Dump()}");
    }

    [Fact]
    public async Task An_acked_event_is_not_sent_again_while_another_device_is_still_retried()
    {
        var alice = await Server.NewUserAsync("alice");
        var phone = await Server.NewUserAsync("bob");
        var laptop = await Server.LoginAsync(phone);
        await using var aliceClient = await Server.ConnectAsync(alice, autoAck: true);
        await using var phoneClient = await Server.ConnectAsync(phone, autoAck: true);
        await using var laptopClient = await Server.ConnectAsync(laptop);

        await aliceClient.SendOkAsync(phone.Username);

        // The laptop never acks: its 4409 comes after both attempts, by when the phone's retry would have come too.
        Assert.Equal(4409, await laptopClient.ClosedAsync(Wait.Redelivery));
        await phoneClient.PingAsync();
        Assert.Equal(1, phoneClient.Received.Count(f => f.Type == "message"));
        Assert.False(phoneClient.IsClosed);
    }

    [Fact]
    public async Task A_device_closed_with_4409_gets_the_events_again_when_it_resumes()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        await using var aliceClient = await Server.ConnectAsync(alice, autoAck: true);
        var sent = await aliceClient.SendOkAsync(bob.Username);
        long seq;
        await using (var slow = await Server.ConnectAsync(bob))
        {
            seq = (await slow.NextEventAsync("message")).Number("seq");
            Assert.Equal(4409, await slow.ClosedAsync(Wait.Redelivery));
        }

        await using var resumed = await Server.ConnectAsync(bob);

        var message = await resumed.NextEventAsync("message");
        Assert.Equal(seq, message.Number("seq"));
        Assert.Equal(sent.Str("id"), message.Str("id"));
        await resumed.AckAsync(seq);
    }
}
