using CarrierReports.Access;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CarrierReports.Web;

/// <summary>
/// The OpenAPI document at <c>/openapi/v1.json</c> (Microsoft.AspNetCore.OpenApi) and a plain API reference page at
/// <c>/api/reference</c>, rendered here from the same API descriptions: each operation with its policy. Both are public:
/// they describe the API and hold no data, and a new user needs them before having an account.
/// </summary>
public static class ApiReference
{
    public const string DocumentPath = "/openapi/v1.json";
    public const string PagePath = "/api/reference";

    public static IServiceCollection AddApiReference(this IServiceCollection services)
    {
        services.AddOpenApi("v1", o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "CarrierReports API";
            document.Info.Description = "Sign in with POST /api/v1/session (cookie; send X-CSRF-TOKEN from GET /api/v1/session/antiforgery with changes) "
                + "or send Authorization: Bearer crk_... (an API key). Errors are RFC 9457 problem details.";
            return Task.CompletedTask;
        }));
        return services;
    }

    public static IEndpointRouteBuilder MapApiReference(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOpenApi("/openapi/{documentName}.json").WithPolicy(Policies.Public);
        endpoints.MapGet(PagePath, Page).WithPolicy(Policies.Public).ExcludeFromDescription();
        return endpoints;
    }

    private static IResult Page(IApiDescriptionGroupCollectionProvider descriptions)
    {
        var html = new StringBuilder();
        var enc = HtmlEncoder.Default;
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>CarrierReports API</title></head><body>")
            .Append("<h1>CarrierReports API</h1><p>Machine-readable: <a href=\"").Append(DocumentPath).Append("\">").Append(DocumentPath).Append("</a>. ")
            .Append("Sign in with <code>POST /api/v1/session</code> or send <code>Authorization: Bearer crk_...</code>. Errors are problem details (RFC 9457).</p>")
            .Append("<table><thead><tr><th>Method</th><th>Path</th><th>Who</th><th>What</th></tr></thead><tbody>");
        var operations = descriptions.ApiDescriptionGroups.Items.SelectMany(g => g.Items)
            .OrderBy(d => d.RelativePath, StringComparer.Ordinal).ThenBy(d => d.HttpMethod, StringComparer.Ordinal);
        foreach (var d in operations)
        {
            var metadata = d.ActionDescriptor.EndpointMetadata;
            var summary = metadata.OfType<IEndpointSummaryMetadata>().LastOrDefault()?.Summary ?? "";
            html.Append("<tr><td>").Append(enc.Encode(d.HttpMethod ?? "")).Append("</td><td><code>/").Append(enc.Encode(d.RelativePath?.TrimEnd('/') ?? ""))
                .Append("</code></td><td>").Append(enc.Encode(Who(metadata))).Append("</td><td>").Append(enc.Encode(summary)).Append("</td></tr>");
        }

        html.Append("</tbody></table></body></html>");
        return Results.Content(html.ToString(), "text/html; charset=utf-8");
    }

    /// <summary>The roles an operation admits, from its policy.</summary>
    private static string Who(IList<object> metadata)
    {
        if (metadata.OfType<IAllowAnonymous>().Any())
        {
            return "anyone";
        }

        var policy = metadata.OfType<IAuthorizeData>().LastOrDefault()?.Policy ?? Policies.Viewer;
        return policy switch
        {
            Policies.Public => "anyone",
            Policies.Viewer or Policies.Operator or Policies.Auditor or Policies.Admin => string.Join(", ", Policies.RolesOf(policy).Select(r => Access.Roles.Name(r))),
            _ => policy,
        };
    }
}
