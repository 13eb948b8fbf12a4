namespace Parley.Core.Media;

/// <summary>Which file of a media: the uploaded bytes or the thumbnail made from them.</summary>
public enum MediaVariant
{
    Original,
    Thumbnail,
}
