using Parley.Conformance.Tests.Harness;

namespace Parley.Conformance.Tests.Delivery;

/// <summary>Offline delivery and resumption with <c>after</c> and the stored cursor.</summary>
public sealed class ResumeTests(DeliveryServer delivery) : IClassFixture<DeliveryServer>
{
    private TestServer Server => delivery.Server;

    [Fact]
    public async Task Offline_recipient_gets_messages_in_order_on_connect()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        await using var aliceClient = await Server.ConnectAsync(alice, autoAck: true);
        var replies = new List<Frame>();
        for (var i = 1; i <= 3; i++) replies.Add(await aliceClient.SendOkAsync(bob.Username, $"\"m{i}\""));

        await using var bobClient = await Server.ConnectAsync(bob);

        var events = new List<Frame>();
        for (var i = 0; i < 3; i++) events.Add(await bobClient.NextEventAsync("message"));
        Assert.Equal([1L, 2, 3], events.Select(e => e.Number("n")));
        Assert.Equal(replies.Select(r => r.Str("id")), events.Select(e => e.Str("id")));
        var seqs = events.Select(e => e.Number("seq")).ToList();
        Assert.True(seqs[0] < seqs[1] && seqs[1] < seqs[2], string.Join(",", seqs));
        Assert.True(bobClient.Welcome!.Number("head") >= seqs[2], bobClient.Welcome.Raw);
        await bobClient.AckAsync(seqs[2]);
    }

    [Fact]
    public async Task Hello_with_after_gets_exactly_the_events_after_that_seq()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        await using var aliceClient = await Server.ConnectAsync(alice, autoAck: true);
        for (var i = 1; i <= 3; i++) await aliceClient.SendOkAsync(bob.Username);
        var seqs = new List<long>();
        await using (var first = await Server.ConnectAsync(bob))
        {
            for (var i = 0; i < 3; i++) seqs.Add((await first.NextEventAsync("message")).Number("seq"));
        }

        await using var second = await Server.ConnectAsync(bob, after: seqs[0]);

        var a = await second.NextEventAsync("message");
        var b = await second.NextEventAsync("message");
        Assert.Equal([seqs[1], seqs[2]], new[] { a.Number("seq"), b.Number("seq") });
        Assert.Equal([2L, 3], new[] { a.Number("n"), b.Number("n") });
        await second.AckAsync(seqs[2]);
    }

    [Fact]
    public async Task Hello_with_after_counts_as_an_ack_up_to_that_seq()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        await using var aliceClient = await Server.ConnectAsync(alice, autoAck: true);
        await aliceClient.SendOkAsync(bob.Username);
        await aliceClient.SendOkAsync(bob.Username);
        long last;
        await using (var first = await Server.ConnectAsync(bob))
        {
            await first.NextEventAsync("message");
            last = (await first.NextEventAsync("message")).Number("seq");
        }
        Assert.DoesNotContain(aliceClient.Received, f => f.Type == "receipt");

        await using var second = await Server.ConnectAsync(bob, after: last);

        var receipt = await aliceClient.NextEventAsync("receipt", r => r.Str("status") == "delivered" && r.Number("upTo") == 2);
        Assert.Equal(bob.Username, receipt.Str("by"));
    }

    [Fact]
    public async Task An_after_beyond_head_is_taken_as_head_and_live_events_still_arrive()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        await using var aliceClient = await Server.ConnectAsync(alice, autoAck: true);
        await aliceClient.SendOkAsync(bob.Username, "\"before\"");

        await using var bobClient = await Server.ConnectAsync(bob, after: 1_000_000_000);
        var head = bobClient.Welcome!.Number("head");
        var live = await aliceClient.SendOkAsync(bob.Username, "\"live\"");

        Assert.True(head < 1_000_000_000, bobClient.Welcome.Raw);
        var message = await bobClient.NextEventAsync("message");
        Assert.Equal(live.Str("id"), message.Str("id"));
        Assert.True(message.Number("seq") > head, message.Raw);
        await bobClient.AckAsync(message.Number("seq"));
    }

    [Fact]
    public async Task Omitted_after_resumes_from_what_the_device_acked_before()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        await using var aliceClient = await Server.ConnectAsync(alice, autoAck: true);
        await aliceClient.SendOkAsync(bob.Username);
        await aliceClient.SendOkAsync(bob.Username);
        await using (var first = await Server.ConnectAsync(bob))
        {
            await first.NextEventAsync("message");
            var second = await first.NextEventAsync("message");
            await first.AckAsync(second.Number("seq"));
            // The ack has been processed once the sender hears of it.
            await aliceClient.NextEventAsync("receipt", r => r.Str("status") == "delivered" && r.Number("upTo") == 2);
        }
        var third = await aliceClient.SendOkAsync(bob.Username);

        await using var again = await Server.ConnectAsync(bob);

        var message = await again.NextEventAsync("message");
        Assert.Equal(third.Str("id"), message.Str("id"));
        Assert.Equal(3, message.Number("n"));
        await again.AckAsync(message.Number("seq"));
    }

    [Fact]
    public async Task An_event_is_held_until_every_device_of_the_user_acked_it()
    {
        var alice = await Server.NewUserAsync("alice");
        var phone = await Server.NewUserAsync("bob");
        var laptop = await Server.LoginAsync(phone);
        await using var aliceClient = await Server.ConnectAsync(alice, autoAck: true);
        var sent = await aliceClient.SendOkAsync(phone.Username);
        long seq;
        await using (var phoneClient = await Server.ConnectAsync(phone))
        {
            var message = await phoneClient.NextEventAsync("message");
            seq = message.Number("seq");
            await phoneClient.AckAsync(seq);
            await aliceClient.NextEventAsync("receipt", r => r.Str("status") == "delivered" && r.Number("upTo") == 1);
        }

        await using var laptopClient = await Server.ConnectAsync(laptop);

        var held = await laptopClient.NextEventAsync("message");
        Assert.Equal(sent.Str("id"), held.Str("id"));
        Assert.Equal(seq, held.Number("seq"));
        await laptopClient.AckAsync(seq);
    }
}
