using CarrierReports.Access;
using CarrierReports.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CarrierReports.Web;

/// <summary>
/// The authorization policies every endpoint declares (deny by default: an endpoint without one needs a signed-in
/// user, and a test fails on it). Each role policy names the roles that pass:
/// <see cref="Viewer"/> any role; <see cref="Operator"/> operator and admin; <see cref="Auditor"/> auditor and admin;
/// <see cref="Admin"/> admin only; <see cref="Public"/> anyone, signed in or not.
/// </summary>
/// <remarks>Use <c>.RequireAuthorization(Policies.Operator)</c>, or <see cref="WithPolicy{T}"/> which maps
/// <see cref="Public"/> to <c>AllowAnonymous</c>.</remarks>
public static class Policies
{
    public const string Viewer = "viewer";
    public const string Operator = "operator";
    public const string Auditor = "auditor";
    public const string Admin = "admin";

    /// <summary>Explicitly anonymous: health status, sign-in, the API reference.</summary>
    public const string Public = "public";

    /// <summary>The roles each policy admits.</summary>
    public static IReadOnlyList<Role> RolesOf(string policy) => policy switch
    {
        Viewer => [Role.Viewer, Role.Operator, Role.Auditor, Role.Admin],
        Operator => [Role.Operator, Role.Admin],
        Auditor => [Role.Auditor, Role.Admin],
        Admin => [Role.Admin],
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, "not a role policy"),
    };

    public static void AddPolicies(this AuthorizationOptions options)
    {
        foreach (var policy in new[] { Viewer, Operator, Auditor, Admin })
        {
            options.AddPolicy(policy, p => p.RequireAuthenticatedUser().RequireRole(RolesOf(policy).Select(r => r.Name())));
        }

        // Anyone: for endpoints declared with RequireAuthorization(Public) instead of AllowAnonymous.
        options.AddPolicy(Public, p => p.RequireAssertion(_ => true));

        // Deny by default: an endpoint that declares nothing still needs a signed-in user with one of our roles.
        options.FallbackPolicy = options.GetPolicy(Viewer);
    }

    /// <summary>Declares an endpoint's policy; <see cref="Public"/> becomes <c>AllowAnonymous</c>.</summary>
    public static T WithPolicy<T>(this T builder, string policy)
        where T : IEndpointConventionBuilder =>
        policy == Public ? builder.AllowAnonymous() : builder.RequireAuthorization(policy);
}
