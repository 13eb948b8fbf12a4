using Parley.Core.Conversations;
using Parley.Core.Users;
using Parley.Protocol.Client;

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
    public void Only_canonical_direct_ids_parse(string value) => Assert.False(ConversationId.TryParseDirect(value, out _));

    [Fact]
    public void Participants_and_the_other_side_are_known()
    {
        Assert.True(ConversationId.TryParseDirect("d:alice:bob", out var id));
        Assert.True(id.HasParticipant("bob"));
        Assert.False(id.HasParticipant("carol"));
        Assert.Equal("alice", id.OtherThan("bob"));
    }

    [Theory]
    [InlineData("d:alice:bob", true, false)]
    [InlineData("g:0123456789abcdef", false, true)]
    [InlineData("g:x", false, true)]
    [InlineData("g:", false, false)]
    [InlineData("d:bob:alice", false, false)]
    [InlineData("x:alice", false, false)]
    public void Direct_and_group_ids_parse_and_say_which_they_are(string value, bool direct, bool group)
    {
        Assert.Equal(direct || group, ConversationId.TryParse(value, out var id));
        Assert.Equal((direct, group), (id.IsDirect, id.IsGroup));
        Assert.Equal(group, ConversationId.IsGroupId(value));
    }

    [Fact]
    public void New_group_ids_are_the_prefix_and_16_lowercase_hex_characters()
    {
        var id = ConversationId.NewGroup();
        Assert.True(id.IsGroup);
        Assert.Matches("^g:[0-9a-f]{16}$", id.Value);
        Assert.NotEqual(id, ConversationId.NewGroup());
    }

    [Fact]
    public void Parse_refuses_what_is_not_a_conversation_id() => Assert.Throws<FormatException>(() => ConversationId.Parse("alice"));

    [Theory]
    [InlineData("g:")]
    [InlineData("g:1")]
    [InlineData("d:alice:bob")]
    [InlineData("d:")]
    [InlineData("alice")]
    public void The_sdk_and_the_server_read_conversation_ids_alike(string value)
    {
        Assert.Equal(ConversationId.IsGroupId(value), ConversationIds.IsGroup(value));
        Assert.Equal(ConversationId.TryParseDirect(value, out _), ConversationIds.TryGetDirectMembers(value, out _, out _));
    }

    [Fact]
    public void The_sdk_and_the_server_spell_direct_ids_alike() =>
        Assert.Equal(ConversationId.Direct("bob", "alice").Value, ConversationIds.Direct("bob", "alice"));

    [Fact]
    public void Direct_participants_are_both_users_or_one_for_a_self_chat()
    {
        Assert.Equal(["alice", "bob"], ConversationId.Direct("bob", "alice").Participants());
        Assert.Equal(["alice"], ConversationId.Direct("alice", "alice").Participants());
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
