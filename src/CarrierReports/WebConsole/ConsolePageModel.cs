using CarrierReports.Access;
using CarrierReports.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CarrierReports.WebConsole;

/// <summary>
/// The base of every signed-in console page: any role may open it (add <c>[Authorize(Policy = Policies.Auditor)]</c>
/// and the like on a page for fewer), and unauthenticated requests are redirected to the sign-in form. Services come
/// through the page model's constructor, as in an endpoint.
/// </summary>
[Authorize(Policy = Policies.Viewer)]
[ConsolePage]
public abstract class ConsolePageModel : PageModel
{
    /// <summary>Who is signed in: name, role, carrier scope (<see cref="Actor.Scope"/>) and sign-in method.</summary>
    public Actor Actor => HttpContext.Actor();

    /// <summary>Whether the signed-in role passes <paramref name="policy"/> (one of <see cref="Policies"/>): offer an action only then.</summary>
    public bool May(string policy) => ConsoleNav.Allows(policy, Actor.Role);

    /// <summary>
    /// Null when the actor may see <paramref name="carrier"/>, else the 404 to return, as for something that does not
    /// exist: <c>if (OutsideScope(sub.Carrier) is { } notFound) return notFound;</c>
    /// </summary>
    protected IActionResult? OutsideScope(string carrier) => Actor.Scope.Allows(carrier) ? null : NotFound();

    /// <summary>Shows a validation error of the shared validators next to its field (<c>asp-validation-for</c>) with the CLI's and API's words.</summary>
    protected void AddFieldError(InputException error) => ModelState.AddModelError(error.Field, error.Reason);
}
