using CarrierReports.Access;
using System.Text.Json;

namespace CarrierReports.Audit;

/// <summary>Something to write to the audit trail: who did what to which target, with what result.</summary>
/// <param name="Action">A dotted verb, e.g. <c>users.add</c>, <c>keys.revoke</c>, <c>sign-in</c>, <c>archive.download</c>.</param>
/// <param name="Target">What it was done to: a user name, key id, subscription id, archive entry; null when none.</param>
/// <param name="Before">JSON of the target before a change; null for reads, sign-ins and creations.</param>
/// <param name="After">JSON of the target after a change; null for reads, sign-ins and deletions.</param>
/// <param name="ClientAddress">The client's IP for web requests; null for the CLI.</param>
/// <param name="Outcome"><c>success</c>, or why not (e.g. <c>wrong-password</c>, <c>denied</c>, <c>error</c>).</param>
public sealed record AuditRecord(
    Actor Actor,
    string Action,
    string? Target,
    string? Before = null,
    string? After = null,
    string? ClientAddress = null,
    string Outcome = AuditRecord.Success)
{
    public const string Success = "success";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    /// <summary>Serialises a before/after snapshot the same way everywhere (camelCase, compact).</summary>
    public static string? Json(object? value) => value is null ? null : JsonSerializer.Serialize(value, value.GetType(), JsonOptions);
}

/// <summary>A row of the audit trail as stored, with its place in the hash chain.</summary>
/// <param name="AuthMethod"><c>password</c>, <c>api-key</c>, <c>oidc</c> or <c>cli</c>.</param>
/// <param name="AuthId">The key id, OIDC subject or OS user; null for a password sign-in.</param>
/// <param name="PrevHash">The previous row's <see cref="Hash"/>; 64 zeros for the first row.</param>
/// <param name="Hash">SHA-256 (hex) over this row's fields and <see cref="PrevHash"/>, see <see cref="AuditHash"/>.</param>
public sealed record AuditEntry(
    long Id,
    DateTimeOffset Time,
    string Actor,
    string AuthMethod,
    string? AuthId,
    string Role,
    string Action,
    string? Target,
    string? Before,
    string? After,
    string? ClientAddress,
    string Outcome,
    string PrevHash,
    string Hash);

/// <summary>The result of checking the whole chain.</summary>
/// <param name="FirstBadId">The first row that does not fit the chain; null when the chain is intact.</param>
/// <param name="Problem">Why that row does not fit.</param>
/// <param name="HeadHash">The last good row's hash: writing it down elsewhere lets a later check notice a truncated tail.</param>
public sealed record AuditVerification(long Rows, long? FirstBadId, string? Problem, string HeadHash)
{
    public bool Intact => FirstBadId is null;
}
