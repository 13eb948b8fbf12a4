namespace Parley.Core.Users;

/// <summary>
/// A username, the users' identity: <c>^[a-z0-9_]{3,32}$</c>. Wrapping a string does not check it; the gateway
/// checks what clients send with <see cref="IsValid"/>, and the store finds no user under a name that is not one.
/// </summary>
public readonly record struct Username(string Value)
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

    public override string ToString() => Value;
}
