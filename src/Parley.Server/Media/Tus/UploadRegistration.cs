using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Parley.Core.Storage;
using Parley.Storage.LocalFiles;

namespace Parley.Server.Media.Tus;

internal static class UploadRegistration
{
    /// <summary>Resumable uploads (tus) in the media directory, and their sweep. Needs <see cref="MediaRegistration.AddParleyMedia"/>.</summary>
    public static IServiceCollection AddParleyUploads(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptionsWithValidateOnStart<UploadOptions>().Bind(configuration.GetSection(UploadOptions.Section))
            .Validate(o => o.Expiry > TimeSpan.Zero && o.SweepInterval > TimeSpan.Zero && o.LockWait >= TimeSpan.Zero,
                "Parley:Uploads:Expiry and SweepInterval must be positive, LockWait not negative");
        // Beside the media (the same file system), so that a finished upload becomes a media by a rename.
        services.AddSingleton(sp => new LocalUploadFiles(((LocalMediaStore)sp.GetRequiredService<IMediaStore>()).Root, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<InFlightPatches>();
        services.AddSingleton<ResumableUploads>();
        services.TryAddSingleton<IUploadAllowance, UserUploadAllowance>();
        services.AddHostedService<UploadSweeper>();
        return services;
    }
}
