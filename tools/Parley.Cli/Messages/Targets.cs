using Parley.Protocol.Client;

namespace Parley.Cli.Messages;

/// <summary>A command's <c>&lt;user|conv&gt;</c>: a conversation id as is, a username as the direct conversation with them.</summary>
internal static class Targets
{
    public static string Conversation(string userOrConv, string me) =>
        ConversationIds.IsConversation(userOrConv) ? userOrConv : ConversationIds.Direct(me, userOrConv);

    public static string Describe(string userOrConv) =>
        ConversationIds.IsConversation(userOrConv) ? $"conversation '{userOrConv}'" : $"user '{userOrConv}'";
}
