using CarrierReports.Access;
using System.Net;
using CarrierReports.Identity;
using CarrierReports.Tests.Support;

namespace CarrierReports.Tests.Web;

/// <summary>The health URLs with sign-in: status for anyone, the full report for signed-in users of any role.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ApiHealthTests(PostgresFixture pg)
{
    [Fact]
    public async Task Details_ForEverySignedInRole_ByCookieOrKey_NotForAnonymous()
    {
        await using var host = await ApiHost.StartAsync(pg);
        foreach (var role in new[] { Role.Viewer, Role.Operator, Role.Auditor, Role.Admin })
        {
            foreach (var client in new[] { await host.UserClientAsync(role), await host.KeyClientAsync(role) })
            {
                using var details = await client.GetAsync(new Uri("/health/details", UriKind.Relative));
                var report = await details.Content.ReadAsStringAsync();
                // 503 here: no node has run the scheduler on this database yet (the cluster item); the report is what counts.
                Assert.True(details.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"{role}: {(int)details.StatusCode} {report}");
                Assert.StartsWith("health: ", report, StringComparison.Ordinal);
                Assert.Contains("ok database   reachable (Postgres)", report, StringComparison.Ordinal);
            }
        }

        var anonymous = host.Anonymous();
        await ApiAuthTests.AssertProblemAsync(await anonymous.GetAsync(new Uri("/health/details", UriKind.Relative)), HttpStatusCode.Unauthorized);
        using var ready = await anonymous.GetAsync(new Uri("/health/ready", UriKind.Relative));
        Assert.Equal("""{"status":"Unhealthy"}""", await ready.Content.ReadAsStringAsync()); // the cluster item, as above, but no details
        Assert.Equal("""{"status":"Healthy"}""", await anonymous.GetStringAsync(new Uri("/health/live", UriKind.Relative)));
    }
}
