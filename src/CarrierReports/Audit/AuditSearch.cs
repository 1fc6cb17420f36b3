using CarrierReports.Access;
using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text;
using CarrierReports.Storage;

namespace CarrierReports.Audit;

/// <summary>Reads the audit trail: filtered pages with a keyset cursor (the id), and everything matching as a stream.</summary>
public sealed class AuditSearch(AuditSchema schema)
{
    /// <exception cref="InputException">The limit or the time range is not acceptable.</exception>
    public async Task<AuditPage> QueryAsync(AuditFilter filter, CancellationToken cancellationToken)
    {
        if (filter.Limit is < 1 or > AuditFilter.MaxLimit)
        {
            throw new InputException("limit", $"{filter.Limit} is not between 1 and {AuditFilter.MaxLimit}");
        }

        if (filter is { From: { } from, To: { } to } && from >= to)
        {
            throw new InputException("to", $"{to:O} is not after from ({from:O})");
        }

        await using var connection = await schema.OpenAsync(cancellationToken);
        await using var cmd = connection.CreateCommand();
        Build(cmd, filter);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        var entries = new List<AuditEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(AuditTrail.Read(reader));
        }

        // One row more than asked says whether there is a next page without a count.
        var more = entries.Count > filter.Limit;
        if (more)
        {
            entries.RemoveAt(entries.Count - 1);
        }

        return new AuditPage(entries, more ? entries[^1].Id : null);
    }

    /// <summary>Every matching row, oldest first, page by page (the filter's limit is the page size).</summary>
    public async IAsyncEnumerable<AuditEntry> ReadAllAsync(AuditFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var page = await QueryAsync(filter with { NewestFirst = false, Limit = AuditFilter.MaxLimit }, cancellationToken);
        while (true)
        {
            foreach (var entry in page.Entries)
            {
                yield return entry;
            }

            if (page.Next is not { } next)
            {
                yield break;
            }

            page = await QueryAsync(filter with { NewestFirst = false, Limit = AuditFilter.MaxLimit, After = next }, cancellationToken);
        }
    }

    private static void Build(DbCommand cmd, AuditFilter f)
    {
        var sql = new StringBuilder($"SELECT {AuditTrail.Columns} FROM cr_audit WHERE 1 = 1");
        if (f.Actor is not null)
        {
            sql.Append(" AND actor = @actor");
            ServiceDatabase.Add(cmd, "actor", f.Actor);
        }

        Match(cmd, sql, "action", f.Action);
        Match(cmd, sql, "target", f.Target);
        if (f.From is { } from)
        {
            sql.Append(" AND time >= @from");
            ServiceDatabase.Add(cmd, "from", from);
        }

        if (f.To is { } to)
        {
            sql.Append(" AND time < @to");
            ServiceDatabase.Add(cmd, "to", to);
        }

        if (f.After is { } after)
        {
            sql.Append(f.NewestFirst ? " AND id < @after" : " AND id > @after");
            ServiceDatabase.Add(cmd, "after", after);
        }

        sql.Append(f.NewestFirst ? " ORDER BY id DESC" : " ORDER BY id").Append(" LIMIT @limit");
        ServiceDatabase.Add(cmd, "limit", f.Limit + 1);
        cmd.CommandText = sql.ToString();
    }

    /// <summary>Exact, or a prefix with a trailing <c>*</c>; substr rather than LIKE, so '%' and '_' are plain characters.</summary>
    private static void Match(DbCommand cmd, StringBuilder sql, string column, string? value)
    {
        if (value is null)
        {
            return;
        }

        if (value.EndsWith('*'))
        {
            var prefix = value[..^1];
            sql.Append($" AND substr({column}, 1, {prefix.Length}) = @{column}");
            ServiceDatabase.Add(cmd, column, prefix);
        }
        else
        {
            sql.Append($" AND {column} = @{column}");
            ServiceDatabase.Add(cmd, column, value);
        }
    }
}
