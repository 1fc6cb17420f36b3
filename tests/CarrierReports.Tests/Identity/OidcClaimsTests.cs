using System.Security.Claims;
using CarrierReports.Access;
using CarrierReports.Identity;

namespace CarrierReports.Tests.Identity;

/// <summary>ID-token claims to an actor: exactly one role or refused; carriers as an array or a comma list.</summary>
public sealed class OidcClaimsTests
{
    private static readonly OidcOptions Options = new() { RoleMap = new(StringComparer.OrdinalIgnoreCase) { ["noc"] = "operator", ["audit"] = "auditor" } };

    [Theory]
    [InlineData(new[] { "viewer" }, "viewer")]
    [InlineData(new[] { "staff", "NOC" }, "operator")]
    [InlineData(new[] { "noc", "admin" }, "admin")]
    [InlineData(new[] { "noc", "operator" }, "operator")]
    public void OneRoleRemains_AfterMapping(string[] values, string role)
    {
        var result = OidcClaims.Map(Principal(values), Options);
        Assert.Equal(role, result.Actor!.Role.Name());
        Assert.Equal((AuthMethod.Oidc, "s-1", "kim"), (result.Actor.Method, result.Actor.AuthId, result.Actor.Name));
    }

    [Theory]
    [InlineData(new[] { "noc", "audit" }, "ambiguous-role")]
    [InlineData(new[] { "staff" }, "unknown-role")]
    [InlineData(new[] { "none" }, "unknown-role")]
    [InlineData(new string[0], "no-role")]
    public void NoneOrSeveralRoles_AreRefused(string[] values, string outcome)
    {
        var result = OidcClaims.Map(Principal(values), Options);
        Assert.Null(result.Actor);
        Assert.Equal(outcome, result.Outcome);
        Assert.StartsWith("Sign-in refused: ", result.Refusal, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new string[0], "all")]
    [InlineData(new[] { "545", "544" }, "544,545")]
    [InlineData(new[] { "544, 545" }, "544,545")]
    public void Carriers_FromAnArrayOrAList(string[] carriers, string scope) =>
        Assert.Equal(scope, OidcClaims.Map(Principal(["viewer"], carriers), Options).Actor!.Scope.Describe());

    [Fact]
    public void ABadCarrierList_IsRefusedNamingTheClaim()
    {
        var result = OidcClaims.Map(Principal(["viewer"], ["544,,545"]), Options);
        Assert.Equal("bad-carriers", result.Outcome);
        Assert.Contains("claim 'carriers'", result.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutANameClaim_TheSubjectIsTheName() =>
        Assert.Equal("s-1", OidcClaims.Map(new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "s-1"), new Claim("role", "viewer")], "t")), Options).Name);

    private static ClaimsPrincipal Principal(string[] roles, string[]? carriers = null)
    {
        var claims = new List<Claim> { new("sub", "s-1"), new("preferred_username", "kim") };
        claims.AddRange(roles.Select(r => new Claim("role", r)));
        claims.AddRange((carriers ?? []).Select(c => new Claim("carriers", c)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, "test"));
    }
}
