using Parley.Protocol.Client;

namespace Parley.Client.Tests.Protocol;

public class ConversationIdsTests
{
    [Theory]
    [InlineData("alice", "bob", "d:alice:bob")]
    [InlineData("bob", "alice", "d:alice:bob")]
    [InlineData("alice", "alice", "d:alice:alice")]
    [InlineData("bob_2", "bob", "d:bob:bob_2")]
    [InlineData("z9", "za", "d:z9:za")]
    [InlineData("_x", "a_", "d:_x:a_")]
    public void A_direct_conversation_id_sorts_the_usernames_by_ordinal(string a, string b, string expected) =>
        Assert.Equal(expected, ConversationIds.Direct(a, b));

    [Fact]
    public void Ordinal_order_is_byte_order_not_culture_order()
    {
        // '_' (0x5F) sorts before lowercase letters (0x61+) and after digits (0x30-0x39).
        Assert.Equal("d:a_b:ab", ConversationIds.Direct("ab", "a_b"));
        Assert.Equal("d:a1:a_", ConversationIds.Direct("a_", "a1"));
    }

    [Fact]
    public void Ids_tell_direct_from_group_and_users_from_conversations()
    {
        Assert.True(ConversationIds.IsDirect("d:a:b"));
        Assert.False(ConversationIds.IsDirect("g:1"));
        Assert.True(ConversationIds.IsGroup("g:1"));
        Assert.True(ConversationIds.IsConversation("g:1"));
        Assert.False(ConversationIds.IsConversation("alice"));
    }

    [Fact]
    public void The_peer_of_a_direct_conversation_is_the_other_user()
    {
        Assert.True(ConversationIds.TryGetPeer("d:alice:bob", "bob", out var peer));
        Assert.Equal("alice", peer);
        Assert.True(ConversationIds.TryGetPeer("d:alice:alice", "alice", out var self));
        Assert.Equal("alice", self);
        Assert.False(ConversationIds.TryGetPeer("d:alice:bob", "carol", out _));
        Assert.False(ConversationIds.TryGetDirectMembers("d:alice", out _, out _));
        Assert.False(ConversationIds.TryGetDirectMembers("d:a:b:c", out _, out _));
    }
}
