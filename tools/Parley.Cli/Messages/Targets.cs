using System.Text.RegularExpressions;
using Parley.Cli.Failures;
using Parley.Cli.Sessions;
using Parley.Client;
using Parley.Protocol.Client;

namespace Parley.Cli.Messages;

/// <summary>
/// A command's <c>&lt;with&gt;</c>: a conversation id (<c>d:a:b</c>, <c>g:id</c>) as is, <c>@name</c> or a username for
/// the direct conversation with that user, or the name of one of the user's groups. A name that is both a group's and
/// a user's is refused as ambiguous rather than guessed.
/// </summary>
internal static partial class Targets
{
    public const string Help = "A username (or @username), a group's name, or a conversation id (d:a:b, g:...)";

    /// <summary>Resolves <paramref name="with"/> to one conversation.</summary>
    /// <param name="session">The logged-in session.</param>
    /// <param name="with">What the user typed.</param>
    /// <param name="userMustExist">Check a username with the server before using it (a chat refuses an unknown peer at once).</param>
    /// <param name="cancellationToken">The command's deadline.</param>
    public static async Task<Target> ResolveAsync(Connected session, string with, bool userMustExist, CancellationToken cancellationToken)
    {
        if (ConversationIds.IsConversation(with)) return FromConversation(with, session.Me);
        if (with.StartsWith('@')) return await UserAsync(session, with[1..], userMustExist, cancellationToken);

        var groups = (await session.Client.ConversationsAsync(cancellationToken))
            .Where(c => ConversationIds.IsGroup(c.Conv) && string.Equals(c.Name, with, StringComparison.Ordinal))
            .ToList();
        if (groups.Count == 0) return await UserAsync(session, with, userMustExist, cancellationToken);
        if (groups.Count > 1)
        {
            throw new CliException(ExitCodes.Usage, $"you have {groups.Count} groups named '{with}': say which by id ({string.Join(", ", groups.Select(g => g.Conv))})");
        }
        if (Username().IsMatch(with) && await session.Http.GetUserAsync(session.Config.Token, with, cancellationToken) is not null)
        {
            throw new CliException(ExitCodes.Usage, $"'{with}' is both a user and your group {groups[0].Conv}: say @{with} for the user or {groups[0].Conv} for the group");
        }
        return new Target(groups[0].Conv, with, Peer: null);
    }

    /// <summary>A group: its id (<c>g:...</c>) as is, or the name of one of the user's groups.</summary>
    public static async Task<Target> ResolveGroupAsync(Connected session, string group, CancellationToken cancellationToken)
    {
        if (ConversationIds.IsGroup(group)) return new Target(group, group, Peer: null);
        if (ConversationIds.IsConversation(group)) throw new CliException(ExitCodes.Usage, $"'{group}' is not a group: group ids start with g:");
        var groups = (await session.Client.ConversationsAsync(cancellationToken))
            .Where(c => ConversationIds.IsGroup(c.Conv) && string.Equals(c.Name, group, StringComparison.Ordinal))
            .ToList();
        return groups.Count switch
        {
            1 => new Target(groups[0].Conv, group, Peer: null),
            0 => throw new CliException(ExitCodes.NotFound, $"you are in no group named '{group}'"),
            _ => throw new CliException(ExitCodes.Usage, $"you have {groups.Count} groups named '{group}': say which by id ({string.Join(", ", groups.Select(g => g.Conv))})"),
        };
    }

    /// <summary>Describes a target for an error message.</summary>
    public static string Describe(string with) =>
        ConversationIds.IsConversation(with) ? $"conversation '{with}'" : with.StartsWith('@') ? $"user '{with[1..]}'" : $"user or group '{with}'";

    private static Target FromConversation(string conv, string me) =>
        ConversationIds.TryGetPeer(conv, me, out var peer) ? new Target(conv, peer, peer) : new Target(conv, conv, Peer: null);

    private static async Task<Target> UserAsync(Connected session, string user, bool mustExist, CancellationToken cancellationToken)
    {
        if (!Username().IsMatch(user) || (mustExist && user != session.Me && await session.Http.GetUserAsync(session.Config.Token, user, cancellationToken) is null))
        {
            throw new CliException(ExitCodes.NotFound, $"no user or group named '{user}'");
        }
        return new Target(ConversationIds.Direct(session.Me, user), user, user);
    }

    [GeneratedRegex("^[a-z0-9_]{3,32}$")]
    private static partial Regex Username();
}

/// <summary>A resolved conversation.</summary>
/// <param name="Conv">Its id.</param>
/// <param name="Title">The other user, or the group's name (or id).</param>
/// <param name="Peer">The other user of a direct conversation, or null for a group.</param>
internal sealed record Target(string Conv, string Title, string? Peer);
