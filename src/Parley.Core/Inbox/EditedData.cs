using System.Globalization;
using System.Text;

namespace Parley.Core.Inbox;

/// <summary>
/// What an <see cref="InboxEntryKind.Edited"/> entry keeps in its data column: "editedAt:body", the body being the JSON text
/// exactly as the sender gave it (a frame's text is UTF-8, so it survives the text column byte for byte).
/// </summary>
public static class EditedData
{
    public static string Format(long editedAt, byte[] body) => editedAt.ToString(CultureInfo.InvariantCulture) + ":" + Encoding.UTF8.GetString(body);

    public static (long EditedAt, byte[] Body) Parse(string data)
    {
        var colon = data.IndexOf(':', StringComparison.Ordinal);
        return (long.Parse(data.AsSpan(0, colon), CultureInfo.InvariantCulture), Encoding.UTF8.GetBytes(data[(colon + 1)..]));
    }
}
