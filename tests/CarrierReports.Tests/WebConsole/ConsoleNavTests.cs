using CarrierReports.Access;
using CarrierReports.WebConsole;

namespace CarrierReports.Tests.WebConsole;

/// <summary>What each role is offered, and which return URLs the sign-in follows (only this site's).</summary>
public sealed class ConsoleNavTests
{
    [Theory]
    [InlineData(Role.Viewer, "Overview,Reports,Subscriptions,Runs")]
    [InlineData(Role.Operator, "Overview,Reports,Subscriptions,Runs,Recipients")]
    [InlineData(Role.Auditor, "Overview,Reports,Subscriptions,Runs,Archive,Recipients,Audit log")]
    [InlineData(Role.Admin, "Overview,Reports,Subscriptions,Runs,Archive,Recipients,Audit log,Users & keys")]
    [InlineData(Role.None, "")]
    public void For_ShowsOnlyWhatTheRoleMayUse(Role role, string expected) =>
        Assert.Equal(expected, string.Join(',', ConsoleNav.For(role).Select(i => i.Title)));

    [Theory]
    [InlineData("/", "Overview")]
    [InlineData("/runs/run-1", "Runs")]
    [InlineData("/admin/keys", "Users & keys")]
    [InlineData("/reportsx", null)]
    public void Current_IsTheSectionOfThePath(string path, string? expected) => Assert.Equal(expected, ConsoleNav.Current(path)?.Title);

    [Theory]
    [InlineData("/reports?carrier=1", true)]
    [InlineData("/", true)]
    [InlineData("//evil.example/", false)]
    [InlineData("/\\evil.example", false)]
    [InlineData("https://evil.example/", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsLocal_AcceptsOnlyPathsOfThisSite(string? url, bool local) => Assert.Equal(local, ConsoleUrls.IsLocal(url));

    [Fact]
    public void SignInFor_KeepsTheWayBack_ButNeverToAnotherSite()
    {
        Assert.Equal("/signin?returnUrl=%2Fruns%3Fstatus%3Dfailed", ConsoleUrls.SignInFor("/runs?status=failed"));
        Assert.Equal("/signin", ConsoleUrls.SignInFor("//evil.example"));
        Assert.Equal("/signin", ConsoleUrls.SignInFor("/"));
    }
}
