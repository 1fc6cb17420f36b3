using CarrierReports.Access;
using CarrierReports.Audit;
using Microsoft.AspNetCore.Http;

namespace CarrierReports.Web;

/// <summary>Audit rows of web requests: the signed-in actor (with how they signed in) and the client's address.</summary>
public static class WebAudit
{
    /// <summary>The audit row builder a store takes for a change, so the row commits with the change.</summary>
    /// <param name="target">The target's id as the trail shows it (a user name, a key id).</param>
    /// <param name="snapshot">What of the target goes into before/after (never secrets).</param>
    public static AuditChange<T> Change<T>(HttpContext context, string action, Func<T, string> target, Func<T?, object?> snapshot)
        where T : class
    {
        var actor = context.Actor();
        var client = context.ClientAddress();
        return (before, after) => new AuditRecord(actor, action, target(after), AuditRecord.Json(snapshot(before)), AuditRecord.Json(snapshot(after)), client);
    }

    /// <summary>A read or an export (no before/after).</summary>
    public static AuditRecord Read(HttpContext context, string action, string? target) =>
        new(context.Actor(), action, target, ClientAddress: context.ClientAddress());
}
