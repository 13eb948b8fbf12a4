namespace Parley.Protocol;

/// <summary>The values of a message's <c>kind</c>.</summary>
public static class MessageKinds
{
    /// <summary>A text message (the default when <c>send</c> omits <c>kind</c>).</summary>
    public const string Text = "text";
    /// <summary>An image with <c>media</c>.</summary>
    public const string Image = "image";
    /// <summary>A video with <c>media</c>.</summary>
    public const string Video = "video";
    /// <summary>Any other file with <c>media</c>.</summary>
    public const string File = "file";

    /// <summary>Whether <paramref name="kind"/> is one of the protocol's kinds.</summary>
    public static bool IsKnown(string kind) => kind is Text or Image or Video or File;
}
