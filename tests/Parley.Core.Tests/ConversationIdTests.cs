using Parley.Core.Conversations;
using Parley.Core.Users;

namespace Parley.Core.Tests;

public class ConversationIdTests
{
    [Fact]
    public void Direct_ids_sort_usernames_by_ordinal_order()
    {
        Assert.Equal("d:alice:bob", ConversationId.Direct("bob", "alice").Value);
        Assert.Equal("d:_x:a1", ConversationId.Direct("a1", "_x").Value);
        Assert.Equal("d:alice:alice", ConversationId.Direct("alice", "alice").Value);
    }

    [Theory]
    [InlineData("d:bob:alice")]
    [InlineData("d:alice")]
    [InlineData("d:al:bob")]
    [InlineData("g:123")]
    [InlineData("d:Alice:bob")]
    [InlineData("x:alice:bob")]
    public void Only_canonical_direct_ids_parse(string value) => Assert.False(ConversationId.TryParse(value, out _));

    [Fact]
    public void Participants_and_the_other_side_are_known()
    {
        Assert.True(ConversationId.TryParse("d:alice:bob", out var id));
        Assert.True(id.Value.HasParticipant("bob"));
        Assert.False(id.Value.HasParticipant("carol"));
        Assert.Equal("alice", id.Value.OtherThan("bob"));
    }

    [Theory]
    [InlineData("abc", true)]
    [InlineData("a_b_9", true)]
    [InlineData("ab", false)]
    [InlineData("Abc", false)]
    [InlineData("a-b", false)]
    [InlineData("abcdefghijabcdefghijabcdefghijab", true)]
    [InlineData("abcdefghijabcdefghijabcdefghijabc", false)]
    public void Usernames_match_the_protocol_pattern(string name, bool valid) => Assert.Equal(valid, Username.IsValid(name));
}
