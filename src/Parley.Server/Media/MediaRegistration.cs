using Microsoft.Extensions.Options;
using Parley.Core.Storage;
using Parley.Storage;
using Parley.Storage.LocalFiles;

namespace Parley.Server.Media;

internal static class MediaRegistration
{
    /// <summary>Uploads and downloads of media, the local (or shared) media directory, and the media sweep.</summary>
    public static IServiceCollection AddParleyMedia(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptionsWithValidateOnStart<MediaOptions>().Bind(configuration.GetSection(MediaOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.EffectiveAllowedTypes.All(MediaSniffer.Known.ContainsKey),
                $"Parley:Media:AllowedTypes may hold only types the server can check: {string.Join(", ", MediaSniffer.Known.Keys)}")
            .Validate(o => o.FfmpegTimeout > TimeSpan.Zero && o.OrphanAge > TimeSpan.Zero, "Parley:Media:FfmpegTimeout and OrphanAge must be positive")
            .Validate(o => o.MaxConcurrentThumbnailsPerUser <= o.MaxConcurrentThumbnails, "Parley:Media:MaxConcurrentThumbnailsPerUser must not be above MaxConcurrentThumbnails");
        services.AddSingleton<IMediaStore>(sp =>
        {
            var media = sp.GetRequiredService<IOptions<MediaOptions>>().Value;
            var directory = string.IsNullOrWhiteSpace(media.Directory)
                ? Path.Combine(sp.GetRequiredService<IOptions<DataDirectoryOptions>>().Value.DataDir, "media")
                : media.Directory;
            return new LocalMediaStore(directory, sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<IMediaCatalog>(sp => sp.GetRequiredService<Storage.Relational.RelationalStore>());
        services.AddSingleton<ThumbnailSlots>();
        services.AddSingleton<RateLimits.UploadAllowance>();
        services.AddSingleton<ImageInspector>();
        services.AddSingleton<VideoThumbnailer>();
        services.AddSingleton<MediaUploads>();
        services.AddSingleton(sp => new MediaCleanup(sp.GetRequiredService<IMediaCatalog>(), sp.GetRequiredService<IMediaStore>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<MediaOptions>>().Value.OrphanAge, sp.GetRequiredService<ILogger<MediaCleanup>>()));
        return services;
    }
}
