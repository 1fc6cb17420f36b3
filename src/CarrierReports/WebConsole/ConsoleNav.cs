using CarrierReports.Access;
using CarrierReports.Web;

namespace CarrierReports.WebConsole;

/// <summary>One entry of the console's navigation, shown only to the roles its policy admits.</summary>
public sealed record NavItem(string Title, string Url, string Policy);

/// <summary>
/// The navigation, by role: the same policies as the API, so a link is offered exactly when its page (and the API
/// behind it) would let the user in.
/// </summary>
public static class ConsoleNav
{
    /// <summary>Recipients' addresses are not for viewers (the API hides them from viewers), so the lookup is for the other roles.</summary>
    public const string RecipientsPolicy = "recipients";

    public static readonly IReadOnlyList<NavItem> Items =
    [
        new("Overview", ConsoleUrls.Overview, Policies.Viewer),
        new("Reports", ConsoleUrls.Reports, Policies.Viewer),
        new("Subscriptions", ConsoleUrls.Subscriptions, Policies.Viewer),
        new("Runs", ConsoleUrls.Runs, Policies.Viewer),
        new("Archive", ConsoleUrls.Archive, Policies.Auditor),
        new("Recipients", ConsoleUrls.Recipients, RecipientsPolicy),
        new("Audit log", ConsoleUrls.Audit, Policies.Auditor),
        new("Users & keys", ConsoleUrls.Users, Policies.Admin),
    ];

    public static IEnumerable<NavItem> For(Role role) => Items.Where(i => Allows(i.Policy, role));

    /// <summary>Whether <paramref name="role"/> passes <paramref name="policy"/> (a <see cref="Policies"/> name or <see cref="RecipientsPolicy"/>).</summary>
    public static bool Allows(string policy, Role role) => policy == RecipientsPolicy
        ? role is Role.Operator or Role.Auditor or Role.Admin
        : Policies.RolesOf(policy).Contains(role);

    /// <summary>The nav entry a path belongs to (for <c>aria-current</c>): the longest URL that prefixes it.</summary>
    public static NavItem? Current(string path) => Items
        .Where(i => i.Url == "/" ? path == "/" : path == i.Url || path.StartsWith(i.Url + "/", StringComparison.Ordinal))
        .OrderByDescending(i => i.Url.Length)
        .FirstOrDefault();
}
