using Parley.Client.Inbox;

namespace Parley.Client.Tests.Client;

public class InboxCursorTests
{
    [Fact]
    public void A_new_device_resumes_from_the_servers_cursor_until_it_processed_something()
    {
        var cursor = new InboxCursor(after: null);

        Assert.Null(cursor.ResumeAfter);
        Assert.True(cursor.TryQueue(5));
        Assert.True(cursor.TryDeliver(5));
        Assert.Null(cursor.ResumeAfter);
        cursor.MarkProcessed(5);
        Assert.Equal(5, cursor.ResumeAfter);
    }

    [Fact]
    public void A_given_after_is_where_the_device_resumes_and_what_it_never_sees_again()
    {
        var cursor = new InboxCursor(after: 10);

        Assert.Equal(10, cursor.ResumeAfter);
        Assert.False(cursor.TryQueue(10));
        Assert.False(cursor.TryQueue(3));
        Assert.True(cursor.TryQueue(11));
    }

    [Fact]
    public void Seqs_at_or_below_a_mark_are_replays()
    {
        var cursor = new InboxCursor(null);

        Assert.True(cursor.TryQueue(1));
        Assert.True(cursor.TryQueue(2));
        Assert.False(cursor.TryQueue(2));
        Assert.False(cursor.TryQueue(1));
        Assert.True(cursor.TryDeliver(1));
        Assert.False(cursor.TryDeliver(1));
        Assert.True(cursor.TryDeliver(2));
    }

    [Fact]
    public void The_processed_mark_only_moves_forward_and_never_past_what_was_delivered()
    {
        var cursor = new InboxCursor(null);
        cursor.TryQueue(4);
        cursor.TryDeliver(4);

        Assert.True(cursor.MarkProcessed(9));
        Assert.Equal(4, cursor.Processed);
        Assert.False(cursor.MarkProcessed(2));
        Assert.Equal(4, cursor.Processed);
    }
}
