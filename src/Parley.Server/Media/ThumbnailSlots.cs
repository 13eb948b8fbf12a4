using Microsoft.Extensions.Options;

namespace Parley.Server.Media;

/// <summary>
/// Turns for making thumbnails. A thumbnail may hold a whole decoded image (or an ffmpeg process); bounding how
/// many run at once bounds the memory uploads can take together. Each user holds at most
/// <c>MaxConcurrentThumbnailsPerUser</c> of them at once, so that one user's uploads cannot take every turn: a user's
/// further thumbnails wait for that user's own turn first.
/// </summary>
internal sealed class ThumbnailSlots(IOptions<MediaOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.Value.MaxConcurrentThumbnails);
    private readonly int _perUser = options.Value.MaxConcurrentThumbnailsPerUser;
    // Per user while the user has thumbnails running or waiting: the semaphore and how many hold or wait for it.
    private readonly Dictionary<string, (SemaphoreSlim Turns, int Users)> _users = new(StringComparer.Ordinal);

    public async Task<T> RunAsync<T>(string user, Func<Task<T>> work, CancellationToken cancellationToken)
    {
        var turns = Join(user);
        try
        {
            await turns.WaitAsync(cancellationToken);
            try
            {
                await _slots.WaitAsync(cancellationToken);
                try
                {
                    return await work();
                }
                finally
                {
                    _slots.Release();
                }
            }
            finally
            {
                turns.Release();
            }
        }
        finally
        {
            Leave(user);
        }
    }

    private SemaphoreSlim Join(string user)
    {
        lock (_users)
        {
            var (turns, count) = _users.TryGetValue(user, out var entry) ? entry : (new SemaphoreSlim(_perUser), 0);
            _users[user] = (turns, count + 1);
            return turns;
        }
    }

    private void Leave(string user)
    {
        lock (_users)
        {
            var (turns, count) = _users[user];
            if (count > 1)
            {
                _users[user] = (turns, count - 1);
                return;
            }
            _users.Remove(user);
            turns.Dispose();
        }
    }

    public void Dispose() => _slots.Dispose();
}
