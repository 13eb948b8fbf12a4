namespace Parley.Cli.Chat;

/// <summary>Where one of the user's own messages stands; only ever moves forward (except to Failed).</summary>
internal enum Tick
{
    Sending,
    Stored,
    Delivered,
    Read,
    Failed,
}
