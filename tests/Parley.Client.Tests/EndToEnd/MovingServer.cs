namespace Parley.Client.Tests.EndToEnd;

/// <summary>The address of a server that restarts on a new port: clients ask it before every connection attempt.</summary>
internal sealed class MovingServer(Uri initial)
{
    private volatile Uri _current = initial;

    public Uri Current
    {
        get => _current;
        set => _current = value;
    }

    public Func<Uri> Provider => () => _current;
}
