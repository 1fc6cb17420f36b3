using CarrierReports.Access;
using CarrierReports.Identity;

namespace CarrierReports.Tests.Identity;

public sealed class RoleAndScopeTests
{
    [Fact]
    public void CarrierScope_AllowsOnlyItsCarriers_EmptyMeansAll()
    {
        var some = CarrierScope.Parse(" 545, 544 ", "--carriers");
        Assert.True(some.Allows("544"));
        Assert.True(some.Allows("545"));
        Assert.False(some.Allows("5440"));
        Assert.False(some.Allows("546"));
        Assert.False(some.IsAll);
        Assert.Equal("544,545", some.ToString());
        Assert.Equal(some, CarrierScope.Parse("544,545", "x"));

        Assert.Same(CarrierScope.All, CarrierScope.Parse("", "--carriers"));
        Assert.True(CarrierScope.All.Allows("anything"));
        Assert.Equal("all", CarrierScope.All.Describe());
        Assert.Equal("", CarrierScope.All.ToString());
    }

    [Theory]
    [InlineData("544,,545", "--carriers: '544,,545' has an empty carrier; use a comma-separated list such as 544,545")]
    [InlineData("544,5 45", "--carriers: '5 45' is not a carrier id (no spaces, at most 64 characters)")]
    public void CarrierScope_BadList_NamesTheFlag(string text, string message)
    {
        var ex = Assert.Throws<InputException>(() => CarrierScope.Parse(text, "--carriers"));
        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void Role_ParsesItsNamesOnly()
    {
        Assert.Equal(Role.Auditor, Roles.Parse("Auditor", "--role"));
        Assert.Equal("operator", Role.Operator.Name());
        var ex = Assert.Throws<InputException>(() => Roles.Parse("root", "--role"));
        Assert.Equal("--role: 'root' is not a role; use viewer, operator, auditor or admin", ex.Message);
        Assert.False(Roles.TryParse("3", out _));
        Assert.False(Roles.TryParse("none", out _));
        Assert.Equal(Role.None, default(Role));
    }

    [Fact]
    public void ActorClaims_RoundTrip_AndForeignPrincipalsAreNobody()
    {
        var actor = Actor.ForOidc("sub-42", "Grace", Role.Auditor, CarrierScope.Parse("544,545", "c"));
        var principal = ActorClaims.ToPrincipal(actor, "oidc", securityStamp: "abc");
        Assert.Equal(actor, ActorClaims.FromPrincipal(principal));
        Assert.Equal("abc", principal.FindFirst(ActorClaims.SecurityStamp)!.Value);
        Assert.True(principal.IsInRole("auditor"));

        var anonymous = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity());
        Assert.Null(ActorClaims.FromPrincipal(anonymous));
        var foreignRole = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new(System.Security.Claims.ClaimTypes.Name, "x"), new(System.Security.Claims.ClaimTypes.Role, "superuser"),
             new(ActorClaims.Carriers, ""), new(ActorClaims.Method, "password")], "cookie"));
        Assert.Null(ActorClaims.FromPrincipal(foreignRole));
    }

    [Fact]
    public void CliActor_IsTheOsUserAsAdmin()
    {
        var actor = Actor.ForCli();
        Assert.Equal(Environment.UserName, actor.Name);
        Assert.Equal(Environment.UserName, actor.AuthId);
        Assert.Equal(AuthMethod.Cli, actor.Method);
        Assert.Equal(Role.Admin, actor.Role);
        Assert.True(actor.Scope.IsAll);
    }
}
