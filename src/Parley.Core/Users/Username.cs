namespace Parley.Core.Users;

/// <summary>Usernames are the users' identity: <c>^[a-z0-9_]{3,32}$</c>.</summary>
public static class Username
{
    public const int MinLength = 3;
    public const int MaxLength = 32;

    public static bool IsValid(string? value)
    {
        if (value is null || value.Length is < MinLength or > MaxLength) return false;
        foreach (var c in value)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '_')) return false;
        }
        return true;
    }
}
