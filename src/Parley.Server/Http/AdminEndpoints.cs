using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Parley.Server.Auth;
using Parley.Server.Hosting;

namespace Parley.Server.Http;

/// <summary>
/// GET /v1/admin/cluster (Bearer <c>Parley:Cluster:AdminToken</c>): the live nodes and how many user and
/// group grains each holds, which is how the grain directory's consistent hashing shows itself.
/// </summary>
internal static class AdminEndpoints
{
    public static IEndpointRouteBuilder MapAdminEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/admin/cluster", ClusterAsync);
        return app;
    }

    private static async Task<IResult> ClusterAsync(HttpContext context, IGrainFactory grains, IOptions<ClusterNodeOptions> options)
    {
        if (!Authorized(DeviceTokens.FromHeader(context), options.Value.AdminToken)) return HttpErrors.Unauthorized();
        var management = grains.GetGrain<IManagementGrain>(0);
        var hosts = await management.GetHosts(onlyActive: true);
        var statistics = await management.GetSimpleGrainStatistics();
        var nodes = hosts.Keys.OrderBy(s => s.ToString(), StringComparer.Ordinal).Select(silo => new ClusterNode(
            silo.ToString(),
            hosts[silo].ToString(),
            Count(statistics, silo, typeof(Grains.Users.UserGrain)),
            Count(statistics, silo, typeof(Grains.Groups.GroupGrain)))).ToList();
        return Results.Json(new ClusterStatus(nodes), HttpJsonContext.Default.ClusterStatus);
    }

    // Statistics name a grain by its class, "Namespace.Class,Assembly".
    private static int Count(SimpleGrainStatistic[] statistics, SiloAddress silo, Type grainClass) =>
        statistics.Where(s => s.SiloAddress.Equals(silo) && s.GrainType.StartsWith(grainClass.FullName + ",", StringComparison.Ordinal))
            .Sum(s => s.ActivationCount);

    /// <summary>
    /// Compares digests of equal length: comparing the tokens themselves would end early on a length mismatch, and its
    /// timing would tell the token's length.
    /// </summary>
    internal static bool Authorized(string? presented, string expected) =>
        expected.Length > 0 && presented is not null
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
