using Microsoft.Extensions.Options;

namespace Parley.Server.Media;

/// <summary>
/// Turns for making thumbnails. A thumbnail may hold a whole decoded image (or an ffmpeg process); bounding how
/// many run at once bounds the memory uploads can take together.
/// </summary>
internal sealed class ThumbnailSlots(IOptions<MediaOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.Value.MaxConcurrentThumbnails);

    public async Task<T> RunAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken)
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

    public void Dispose() => _slots.Dispose();
}
