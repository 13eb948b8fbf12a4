namespace Parley.Conformance.Tests.Harness;

/// <summary>A user of one test: registered, logged in on one device, and that device's open socket.</summary>
public sealed record ConnectedUser(Session Session, RawClient Client);

/// <summary>
/// The users a test starts from, each registered and connected on one device (see
/// <see cref="TestServer.ConnectUsersAsync(bool, string[])"/>). They deconstruct in the order they were named:
/// <c>var ((alice, aliceClient), (bob, bobClient)) = users;</c>. Disposing closes the sockets, the last one first.
/// </summary>
public sealed class ConnectedUsers : IAsyncDisposable
{
    private readonly List<ConnectedUser> _users = [];

    public int Count => _users.Count;

    public ConnectedUser this[int index] => _users[index];

    internal void Add(ConnectedUser user) => _users.Add(user);

    public void Deconstruct(out ConnectedUser first, out ConnectedUser second)
    {
        Expect(2);
        (first, second) = (_users[0], _users[1]);
    }

    public void Deconstruct(out ConnectedUser first, out ConnectedUser second, out ConnectedUser third)
    {
        Expect(3);
        (first, second, third) = (_users[0], _users[1], _users[2]);
    }

    public void Deconstruct(out ConnectedUser first, out ConnectedUser second, out ConnectedUser third, out ConnectedUser fourth)
    {
        Expect(4);
        (first, second, third, fourth) = (_users[0], _users[1], _users[2], _users[3]);
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _users.Count - 1; i >= 0; i--) await _users[i].Client.DisposeAsync();
    }

    private void Expect(int count)
    {
        if (_users.Count != count) throw new InvalidOperationException($"{_users.Count} users were connected, {count} deconstructed");
    }
}
