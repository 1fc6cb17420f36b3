using CarrierReports.Access;
using CarrierReports.Audit;
using CarrierReports.Identity;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace CarrierReports.Web.Auth;

/// <summary>
/// <c>/api/v1/session</c>: sign in with a password (POST, sets the session cookie), sign out (DELETE), who am I (GET),
/// and the antiforgery token for cookie-authenticated changes.
/// </summary>
public static class SessionEndpoints
{
    public const string Path = "/api/v1/session";
    public const string AntiforgeryPath = "/api/v1/session/antiforgery";

    /// <summary>The one answer for every failed password sign-in except a lockout: it never says whether the user exists.</summary>
    public const string FailedMessage = "Sign-in failed: wrong user name or password.";

    public const string LockedMessage = "Sign-in failed: this account is locked after too many failed attempts; try again later or ask an admin.";

    public static IEndpointRouteBuilder MapSessionEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var session = endpoints.MapGroup(Path).WithTags("Session");
        session.MapPost("", SignInAsync).WithPolicy(Policies.Public).RequireRateLimiting(AuthSchemes.SignInRateLimit).DisableAntiforgery()
            .WithSummary("Sign in with a user name and password; sets the session cookie")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status429TooManyRequests);
        session.MapDelete("", new Func<HttpContext, Task<NoContent>>(SignOutAsync)).WithPolicy(Policies.Public).WithSummary("Sign out (ends the session cookie)");
        session.MapGet("", WhoAmIAsync).WithPolicy(Policies.Viewer).WithSummary("Who am I: name, role, carriers");
        session.MapPost("/password", ChangePasswordAsync).WithPolicy(Policies.Viewer)
            .WithSummary("Change your own password (the one-time one first); your other sessions end, this one continues")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status401Unauthorized);
        session.MapGet("/antiforgery", Antiforgery).WithPolicy(Policies.Viewer)
            .WithSummary($"The antiforgery token a cookie session sends as {AuthSchemes.AntiforgeryHeader} with every change");
        endpoints.MapOidcEndpoints();
        return endpoints;
    }

    /// <summary>The sign-in body.</summary>
    public sealed record SignInRequest(string? User, string? Password);

    /// <summary>Who is signed in; <c>carriers</c> is empty for all carriers.</summary>
    public sealed record SessionInfo(string Name, string Role, IReadOnlyCollection<string> Carriers, string Method, bool MustChangePassword);

    public sealed record PasswordChange(string? CurrentPassword, string? NewPassword);

    public sealed record AntiforgeryToken(string Token, string HeaderName);

    private static async Task<IResult> SignInAsync(SignInRequest body, HttpContext context, PasswordSignIn signIn, AuditTrail trail)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(body.User))
        {
            errors["user"] = ["is required"];
        }

        if (string.IsNullOrEmpty(body.Password))
        {
            errors["password"] = ["is required"];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var result = await signIn.VerifyAsync(body.User!, body.Password!, context.RequestAborted);
        await trail.AppendAsync(SignInAudit.SignIn(body.User!.Trim(), result, context.ClientAddress()), context.RequestAborted);
        if (!result.Succeeded)
        {
            var detail = result.Status == SignInStatus.LockedOut ? LockedMessage : FailedMessage;
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed", detail: detail);
        }

        var user = result.User!;
        var actor = user.ToActor();
        await context.SignInAsync(AuthSchemes.Cookie, ActorClaims.ToPrincipal(actor, AuthSchemes.Cookie, user.SecurityStamp));
        return TypedResults.Ok(Info(actor, user.MustChangePassword));
    }

    private static async Task<IResult> ChangePasswordAsync(PasswordChange body, HttpContext context, PasswordSignIn signIn, AuditTrail trail)
    {
        var actor = context.Actor();
        if (actor.Method != AuthMethod.Password)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request",
                detail: $"only a password session can change its password; this one signed in by {Actor.MethodName(actor.Method)}");
        }

        if (string.IsNullOrEmpty(body.CurrentPassword) || string.IsNullOrEmpty(body.NewPassword))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                [string.IsNullOrEmpty(body.CurrentPassword) ? "currentPassword" : "newPassword"] = ["is required"],
            });
        }

        var audit = WebAudit.Change<UserAccount>(context, "users.change-password", u => u.Name, UsersCommand.Snapshot);
        var result = await signIn.ChangePasswordAsync(actor.Name, body.CurrentPassword, body.NewPassword, audit, context.RequestAborted);
        if (!result.Succeeded)
        {
            await trail.AppendAsync(WebAudit.Read(context, "users.change-password", actor.Name) with { Outcome = result.Outcome }, context.RequestAborted);
            var detail = result.Status == SignInStatus.LockedOut ? LockedMessage : "currentPassword: is not your current password";
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Password not changed", detail: detail);
        }

        // The change gave the account a new security stamp, which ends every session; this one gets a new cookie.
        var user = result.User!;
        await context.SignInAsync(AuthSchemes.Cookie, ActorClaims.ToPrincipal(user.ToActor(), AuthSchemes.Cookie, user.SecurityStamp));
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> SignOutAsync(HttpContext context)
    {
        await context.SignOutAsync(AuthSchemes.Cookie);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<SessionInfo>> WhoAmIAsync(HttpContext context, UserStore users)
    {
        var actor = context.Actor();
        var mustChange = actor.Method == AuthMethod.Password && (await users.FindAsync(actor.Name, context.RequestAborted))?.MustChangePassword == true;
        return TypedResults.Ok(Info(actor, mustChange));
    }

    private static Ok<AntiforgeryToken> Antiforgery(HttpContext context, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        return TypedResults.Ok(new AntiforgeryToken(tokens.RequestToken!, AuthSchemes.AntiforgeryHeader));
    }

    private static SessionInfo Info(Actor actor, bool mustChangePassword) =>
        new(actor.Name, actor.Role.Name(), actor.Scope.Carriers, Actor.MethodName(actor.Method), mustChangePassword);
}
