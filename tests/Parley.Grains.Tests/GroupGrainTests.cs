using System.Diagnostics;
using System.Text;
using Parley.Core.Conversations;
using Parley.Core.Groups;
using Parley.Core.Inbox;
using Parley.Core.Load;
using Parley.Core.Messages;
using Parley.Core.Users;
using Parley.Grains.Groups;
using Parley.Testing;
using static Parley.Testing.TestNames;

namespace Parley.Grains.Tests;

/// <summary>
/// The group grain aggregates members' receipts into "everyone has it" receipts, at most once per interval. The
/// tests of this class run one after another on their own cluster, so every batch published during a test is its own.
/// </summary>
public sealed class GroupGrainTests(GrainCluster grains) : IClassFixture<GrainCluster>
{
    [Fact]
    public async Task Markers_moved_many_times_within_the_interval_are_aggregated_once()
    {
        var group = await GroupWithAMessageAllReceivedAsync();
        var grain = grains.Client.GetGrain<IGroupGrain>(group.Conv.Value);
        var before = grains.Published.Count;

        for (var i = 0; i < 5; i++) await grain.MarkersMovedAsync();
        var delivered = await AggregatedReceiptAsync(group, ReceiptStatus.Delivered);
        // A second round, told apart by what it writes: the other members read the message.
        foreach (var member in group.Others) await grains.Store.MarkReadAsync(new Username(member), group.Conv, group.N, default);
        await grain.MarkersMovedAsync();
        var read = await AggregatedReceiptAsync(group, ReceiptStatus.Read);

        Assert.Equal((group.N, group.N), (delivered.N, read.N));
        Assert.Equal(2, grains.Published.Count - before);
    }

    [Fact]
    public async Task Under_strain_the_aggregation_waits_for_the_slow_interval()
    {
        var group = await GroupWithAMessageAllReceivedAsync();
        var grain = grains.Client.GetGrain<IGroupGrain>(group.Conv.Value);
        grains.Load.Current = LoadLevel.Strained;
        try
        {
            var clock = Stopwatch.StartNew();
            await grain.MarkersMovedAsync();
            await AggregatedReceiptAsync(group, ReceiptStatus.Delivered);

            Assert.True(clock.Elapsed >= grains.Load.SlowReceiptInterval - TimeSpan.FromMilliseconds(50), $"aggregated after {clock.Elapsed}");
            Assert.True(grains.Load.Shed.GetValueOrDefault(ShedKinds.ReceiptDelay) >= 1);
        }
        finally
        {
            grains.Load.Current = LoadLevel.Normal;
        }
    }

    /// <summary>The "*" receipt the sender gets once every other member is past the message.</summary>
    private async Task<InboxEntry> AggregatedReceiptAsync(TestGroup group, ReceiptStatus status)
    {
        bool Match(InboxWrite w) => w.User == group.Sender && w.Entry is { Kind: InboxEntryKind.Receipt, Actor: "*" } entry
            && entry.Conv == group.Conv.Value && entry.Status == status;
        await grains.Published.WhenAsync(batches => batches.Any(b => b.Any(Match))).Within();
        return grains.Published.BatchesWith(Match).Single().Single(Match).Entry;
    }

    /// <summary>A group of three whose sender's one message both other members' devices have acked.</summary>
    private async Task<TestGroup> GroupWithAMessageAllReceivedAsync()
    {
        var (sender, bob, carol) = (Unique("a"), Unique("b"), Unique("c"));
        foreach (var user in new[] { sender, bob, carol })
        {
            Assert.True(await grains.Store.CreateUserAsync(new NewUser(user, user, "hash", Now()), default));
        }
        var conv = ConversationId.NewGroup();
        Assert.Equal(GroupStatus.Ok, (await grains.Store.CreateGroupAsync(conv, new Username(sender), "G", [bob, carol], 200, Now(), default)).Status);
        var pending = await grains.Store.EnqueueAppendAsync(
            new NewMessage(Guid.NewGuid().ToString("N"), conv.Value, sender, null, "c1", "text", Encoding.UTF8.GetBytes("\"hi\""), Now(), null), default);
        var sent = await pending.Within();
        Assert.Equal(AppendStatus.Stored, sent.Status);
        foreach (var member in new[] { bob, carol })
        {
            var moved = await grains.Store.AckAsync(new Username(member), "device", sent.Writes.Single(w => w.User == member).Entry.Seq, default);
            Assert.Equal([conv.Value], moved.Groups);
        }
        return new TestGroup(conv, sender, [bob, carol], sent.Message!.N);
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private sealed record TestGroup(ConversationId Conv, string Sender, string[] Others, long N);
}
