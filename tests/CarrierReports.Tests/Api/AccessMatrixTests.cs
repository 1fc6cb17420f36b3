using CarrierReports.Access;
using System.Net;
using CarrierReports.Identity;
using CarrierReports.Tests.Support;
using CarrierReports.Tests.Web;
using static CarrierReports.Tests.Api.ApiTestCalls;

namespace CarrierReports.Tests.Api;

/// <summary>
/// Every endpoint of subscriptions, runs, operator actions, archive and reports: 401 without sign-in, 403 for a role its policy does not
/// admit, and 404 for a caller whose carrier scope does not include the carrier, exactly as for something missing.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class AccessMatrixTests(PostgresFixture pg)
{
    private const string Report = "/api/v1/reports/asr-per-route?carrier=544&range=previous-day&tz=UTC";

    /// <summary>Method, path (over data of carrier 544) and the roles its policy admits.</summary>
    private static IEnumerable<(string Method, string Path, Role[] Allowed)> Endpoints(string entry, string runId, string jobId)
    {
        Role[] all = [Role.Viewer, Role.Operator, Role.Auditor, Role.Admin];
        Role[] operators = [Role.Operator, Role.Admin];
        Role[] auditors = [Role.Auditor, Role.Admin];
        yield return ("GET", "/api/v1/subscriptions/daily-544", all);
        yield return ("GET", "/api/v1/subscriptions/daily-544/versions", all);
        yield return ("PUT", "/api/v1/subscriptions/daily-544", operators);
        yield return ("DELETE", "/api/v1/subscriptions/daily-544", operators);
        yield return ("POST", "/api/v1/subscriptions/daily-544/enable", operators);
        yield return ("POST", "/api/v1/subscriptions/daily-544/disable", operators);
        yield return ("POST", "/api/v1/subscriptions/daily-544/versions/1/restore", operators);
        yield return ("GET", $"/api/v1/runs/{runId}", all);
        yield return ("GET", Report, all);
        yield return ("GET", $"/api/v1/archive/{entry}", auditors);
        yield return ("GET", $"/api/v1/archive/{entry}/files/report.csv", auditors);
        yield return ("POST", $"/api/v1/archive/{entry}/verify", auditors);
        yield return ("POST", "/api/v1/subscriptions/daily-544/preview", operators);
        yield return ("GET", "/api/v1/subscriptions/daily-544/preview/files/report.csv", operators);
        yield return ("POST", "/api/v1/subscriptions/daily-544/run", operators);
        yield return ("POST", $"/api/v1/runs/{runId}/retry", operators);
        yield return ("POST", "/api/v1/subscriptions/daily-544/test-send", operators);
        yield return ("POST", $"/api/v1/runs/{runId}/resend", operators);
        yield return ("POST", "/api/v1/subscriptions/daily-544/resend", operators);
        yield return ("GET", $"/api/v1/runs/{runId}/resends", operators);
        yield return ("POST", "/api/v1/subscriptions/daily-544/backfill", operators);
        yield return ("GET", $"/api/v1/backfills/{jobId}", operators);
        yield return ("POST", $"/api/v1/backfills/{jobId}/cancel", operators);
    }

    /// <summary>Endpoints without a carrier in the path: only 401 and 403 apply.</summary>
    private static IEnumerable<(string Method, string Path, Role[] Allowed)> Collections() =>
    [
        ("GET", "/api/v1/subscriptions", [Role.Viewer, Role.Operator, Role.Auditor, Role.Admin]),
        ("POST", "/api/v1/subscriptions", [Role.Operator, Role.Admin]),
        ("GET", "/api/v1/runs", [Role.Viewer, Role.Operator, Role.Auditor, Role.Admin]),
        ("GET", "/api/v1/archive", [Role.Auditor, Role.Admin]),
        ("POST", "/api/v1/archive/verify", [Role.Auditor, Role.Admin]),
        ("POST", "/api/v1/subscriptions/preview", [Role.Operator, Role.Admin]),
        ("POST", "/api/v1/subscriptions/preview/files/report.csv", [Role.Operator, Role.Admin]),
    ];

    [Fact]
    public async Task Anonymous401_WrongRole403_OutsideScope404()
    {
        await using var host = await ApiHost.StartAsync(pg);
        var admin = await host.KeyClientAsync(Role.Admin);
        Assert.Equal(HttpStatusCode.Created, (await admin.SendAsync(HttpMethod.Post, "/api/v1/subscriptions", Definition("daily-544"))).Status);
        var entry = await ArchiveApiTests.StoreEntryAsync(host, "daily-544", "544");
        var runId = "run-544";
        await InsertRunAsync(host, runId, "daily-544");
        var jobId = "job-544";
        var now = DateTimeOffset.UtcNow;
        await host.Get<CarrierReports.Runs.BackfillJobStore>().AddAsync(new CarrierReports.Runs.BackfillJob(jobId, "daily-544", "544", "2026-11-01", "2026-11-02",
            now, now, CarrierReports.Runs.BackfillStates.Queued, 1, 0, 0, null, null, false, "n1", "tests", now, now, null), CancellationToken.None);

        var anonymous = host.Anonymous();
        var byRole = new Dictionary<Role, HttpClient>();
        foreach (var role in new[] { Role.Viewer, Role.Operator, Role.Auditor, Role.Admin })
        {
            byRole[role] = await host.KeyClientAsync(role);
        }

        var failures = new List<string>();
        foreach (var (method, path, allowed) in Endpoints(entry, runId, jobId).Concat(Collections()))
        {
            var m = new HttpMethod(method);
            Expect(failures, method, path, "anonymous", HttpStatusCode.Unauthorized, (await anonymous.SendAsync(m, path)).Status);
            foreach (var role in byRole.Keys.Where(r => !allowed.Contains(r)))
            {
                Expect(failures, method, path, role.Name(), HttpStatusCode.Forbidden, (await byRole[role].SendAsync(m, path)).Status);
            }
        }

        foreach (var (method, path, allowed) in Endpoints(entry, runId, jobId))
        {
            // Admitted by role but scoped to another carrier: the thing does not exist for them. The precondition is
            // sent so a change is refused for the scope, not for a missing If-Match.
            var outsider = await host.KeyClientAsync(allowed[0], CarrierScope.Of(["999"]));
            var answer = await outsider.SendAsync(new HttpMethod(method), path, method == "PUT" ? Definition("daily-544") : null, ifMatch: "*");
            Expect(failures, method, path, $"{allowed[0].Name()} of 999", HttpStatusCode.NotFound, answer.Status);
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    private static void Expect(List<string> failures, string method, string path, string who, HttpStatusCode expected, HttpStatusCode actual)
    {
        if (expected != actual)
        {
            failures.Add($"{method} {path} as {who}: expected {(int)expected}, got {(int)actual}");
        }
    }
}
