using CarrierReports.Tests.Support;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CarrierReports.Tests.Web;

/// <summary>Deny by default, checked: every endpoint of the real app declares who may call it.</summary>
[Collection(PostgresCollection.Name)]
public sealed class EndpointPolicyTests(PostgresFixture pg)
{
    [Fact]
    public async Task EveryEndpoint_DeclaresAPolicyOrIsExplicitlyPublic()
    {
        await using var host = await ApiHost.StartAsync(pg);
        var endpoints = host.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        Assert.Contains(endpoints, e => e.RoutePattern.RawText?.TrimEnd('/') == "/api/v1/session");
        var undeclared = endpoints
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null && e.Metadata.GetOrderedMetadata<IAuthorizeData>().Count == 0)
            .Select(e => $"{string.Join(',', e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [])} {e.RoutePattern.RawText}")
            .ToList();
        Assert.True(undeclared.Count == 0, "endpoints without a policy: " + string.Join("; ", undeclared));
    }
}
