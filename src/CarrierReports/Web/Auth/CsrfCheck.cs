using CarrierReports.Access;
using CarrierReports.Identity;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;

namespace CarrierReports.Web.Auth;

/// <summary>
/// Cookie-authenticated changes (POST, PUT, PATCH, DELETE) must carry the antiforgery token from
/// <c>GET /api/v1/session/antiforgery</c> in the <c>X-CSRF-TOKEN</c> header: a browser sends the cookie along with a
/// request another site makes it send, but that site cannot read the token. Bearer-key requests carry no cookie and
/// are exempt. A missing or wrong token answers 400 problem details.
/// </summary>
public sealed class CsrfCheck(RequestDelegate next, IAntiforgery antiforgery)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (NeedsToken(context) && !await antiforgery.IsRequestValidAsync(context))
        {
            await Results.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "Antiforgery token missing or invalid",
                detail: $"{AuthSchemes.AntiforgeryHeader}: a signed-in browser session must send the token from GET {SessionEndpoints.AntiforgeryPath} with every change")
                .ExecuteAsync(context);
            return;
        }

        await next(context);
    }

    private static bool NeedsToken(HttpContext context)
    {
        var method = context.Request.Method;
        var unsafeMethod = HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method);
        // DisableAntiforgery() on an endpoint (only the sign-in, which acts on no session) opts out.
        var optOut = context.GetEndpoint()?.Metadata.GetMetadata<IAntiforgeryMetadata>() is { RequiresValidation: false };
        return unsafeMethod && !optOut
            && !AuthSchemes.HasBearer(context.Request)
            && ActorClaims.FromPrincipal(context.User) is { Method: AuthMethod.Password or AuthMethod.Oidc };
    }
}
