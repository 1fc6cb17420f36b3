using CarrierReports.Access;
using CarrierReports.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace CarrierReports.Web.Admin;

/// <summary>
/// <c>/api/v1/users</c> (admin): list, create (the one-time password is in the answer, once), disable (ends the
/// user's sessions), enable, reset-password. Every change is audited with the admin, how they signed in, and the
/// client's address, in the change's own transaction.
/// </summary>
public static class UserEndpoints
{
    public const string Path = "/api/v1/users";

    public static IEndpointRouteBuilder MapUserEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var users = endpoints.MapGroup(Path).WithTags("Users").WithPolicy(Policies.Admin);
        users.MapGet("", ListAsync).WithSummary("List users");
        users.MapPost("", AddAsync).WithSummary("Create a user; answers the one-time password once (unless one was given)")
            .ProducesValidationProblem();
        users.MapPost("/{name}/disable", (string name, HttpContext context, UserStore store) =>
            ChangeAsync(name, "disable", context, (a, ct) => store.DisableAsync(name, a, ct))).WithSummary("Disable a user and end their sessions");
        users.MapPost("/{name}/enable", (string name, HttpContext context, UserStore store) =>
            ChangeAsync(name, "enable", context, (a, ct) => store.EnableAsync(name, a, ct))).WithSummary("Enable a user and clear a lockout");
        users.MapPost("/{name}/reset-password", ResetPasswordAsync)
            .WithSummary("Set a new one-time password (answered once) and end the user's sessions");
        return endpoints;
    }

    /// <param name="Carriers">Comma-separated carrier ids, e.g. <c>544,545</c>; empty or absent for all.</param>
    /// <param name="Password">Optional: without it a one-time password is generated, to be changed at first sign-in.</param>
    public sealed record NewUserRequest(string? Name, string? Role, string? Carriers, string? Password);

    /// <summary>A user as the API shows it; <c>carriers</c> is empty for all carriers.</summary>
    public sealed record UserView(string Name, string Role, IReadOnlyCollection<string> Carriers, bool Disabled, bool MustChangePassword,
        DateTimeOffset? LockedUntil, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

    /// <param name="OneTimePassword">Shown only in this answer; null when the admin chose the password.</param>
    public sealed record UserWithPassword(UserView User, string? OneTimePassword);

    public static UserView View(UserAccount u) =>
        new(u.Name, u.Role.Name(), u.Scope.Carriers, u.Disabled, u.MustChangePassword, u.LockedUntil, u.CreatedAt, u.UpdatedAt);

    private static async Task<Ok<UserView[]>> ListAsync(UserStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok((await store.ListAsync(cancellationToken)).Select(View).ToArray());

    private static async Task<Created<UserWithPassword>> AddAsync(NewUserRequest body, HttpContext context, UserStore store)
    {
        var role = Roles.Parse(body.Role, "role");
        var scope = CarrierScope.Parse(body.Carriers, "carriers");
        var created = await store.AddAsync(body.Name ?? "", role, scope, body.Password, Audit(context, "users.add"), context.RequestAborted);
        return TypedResults.Created($"{Path}/{created.User.Name}", new UserWithPassword(View(created.User), created.OneTimePassword));
    }

    private static async Task<IResult> ChangeAsync(string name, string verb, HttpContext context,
        Func<Audit.AuditChange<UserAccount>, CancellationToken, Task<(UserAccount Before, UserAccount After)?>> change)
    {
        var changed = await change(Audit(context, $"users.{verb}"), context.RequestAborted);
        return changed is { } c ? TypedResults.Ok(View(c.After)) : NoSuchUser(name);
    }

    private static async Task<IResult> ResetPasswordAsync(string name, HttpContext context, UserStore store)
    {
        var reset = await store.SetPasswordAsync(name, null, Audit(context, "users.reset-password"), context.RequestAborted);
        return reset is { } r ? TypedResults.Ok(new UserWithPassword(View(r.User), r.OneTimePassword)) : NoSuchUser(name);
    }

    private static IResult NoSuchUser(string name) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"name: there is no user '{name}'");

    private static Audit.AuditChange<UserAccount> Audit(HttpContext context, string action) =>
        WebAudit.Change<UserAccount>(context, action, u => u.Name, UsersCommand.Snapshot);
}
