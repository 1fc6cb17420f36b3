using CarrierReports.Access;
using System.Text.Encodings.Web;
using CarrierReports.Audit;
using CarrierReports.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CarrierReports.Web.Auth;

/// <summary>
/// <c>Authorization: Bearer crk_...</c>: checks the key with <see cref="ApiKeyStore.VerifyAsync"/> (which records its
/// last use) and builds the key's <see cref="Actor"/>. A rejected key is written to the audit trail, so probing shows.
/// </summary>
public sealed class ApiKeyHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ApiKeyStore keys, AuditTrail trail)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private const string FailureReason = "cr:key-failure";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!AuthSchemes.HasBearer(Request))
        {
            return AuthenticateResult.NoResult();
        }

        var token = Request.Headers.Authorization.ToString()["Bearer ".Length..].Trim();
        var result = await keys.VerifyAsync(token, Context.RequestAborted);
        if (!result.Succeeded)
        {
            await trail.AppendAsync(SignInAudit.KeyRejected(result, Context.ClientAddress()), Context.RequestAborted);
            Context.Items[FailureReason] = result.Reason;
            return AuthenticateResult.Fail($"API key rejected: {result.Reason}");
        }

        var principal = ActorClaims.ToPrincipal(result.Key!.ToActor(), Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    /// <summary>401 with the reason a client can act on (RFC 6750); the body is problem details from the status-code pages.</summary>
    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        var reason = Context.Items[FailureReason] as string;
        Response.Headers.WWWAuthenticate = reason is null ? "Bearer" : $"Bearer error=\"invalid_token\", error_description=\"{reason}\"";
        return Task.CompletedTask;
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    }
}
