using System.Data.Common;

namespace CarrierReports.Storage;

/// <summary>
/// One feature's tables in the service database. <c>db migrate</c> (and <c>serve</c>, <c>demo</c> at start) creates
/// every registered part; a feature with tables of its own joins by registering one:
/// <c>services.AddSingleton&lt;ISchemaPart, MySchema&gt;()</c>.
/// </summary>
public interface ISchemaPart
{
    /// <summary>Shown by <c>db migrate</c>: the tables this part owns, e.g. "cr_users, cr_api_keys".</summary>
    string Tables { get; }

    /// <summary>Creates what does not exist yet; idempotent, and safe from several nodes at once.</summary>
    Task CreateAsync(DbConnection connection, CancellationToken cancellationToken);
}
