using System.Globalization;
using CarrierReports.Web;
using Npgsql;

namespace CarrierReports.Benchmarks;

/// <summary>Ids and keyset cursors the measured URLs need, read from the seeded database (as a client would have them from earlier pages).</summary>
/// <param name="Daily">A daily subscription in the middle of the id order.</param>
/// <param name="Run">The newest run of the busy subscription.</param>
/// <param name="DeepOffset">How many of the busy subscription's runs the deep page skips (90 %).</param>
public sealed record SeedFacts(string Daily, string Carrier, string Run, long BusyRuns, long DeepOffset, string DeepRunCursor, string DeepSubscriptionCursor)
{
    public static async Task<SeedFacts> ReadAsync(NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        var subscriptions = await ScalarAsync<long>(db, "SELECT count(*) FROM cr_subscriptions", [], cancellationToken);
        var daily = await ScalarAsync<string>(db, "SELECT id FROM cr_subscriptions ORDER BY id OFFSET @o LIMIT 1", [new("o", subscriptions / 2)], cancellationToken);
        var deepSubscription = await ScalarAsync<string>(db, "SELECT id FROM cr_subscriptions ORDER BY id OFFSET @o LIMIT 1", [new("o", subscriptions * 9 / 10)], cancellationToken);
        var busyRuns = await ScalarAsync<long>(db, "SELECT count(*) FROM cr_runs WHERE subscription_id = @s", [new("s", ApiSeed.BusyId)], cancellationToken);
        var run = await ScalarAsync<string>(db, "SELECT run_id FROM cr_runs WHERE subscription_id = @s ORDER BY started_at DESC, run_id DESC LIMIT 1", [new("s", ApiSeed.BusyId)], cancellationToken);
        var deep = busyRuns * 9 / 10;
        await using var cmd = db.CreateCommand("SELECT started_at, run_id FROM cr_runs WHERE subscription_id = $1 ORDER BY started_at DESC, run_id DESC OFFSET $2 LIMIT 1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = ApiSeed.BusyId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = deep - 1 });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        // The cursor the API itself hands out after that run (RunEndpoints: UTC ticks and run id).
        var cursor = KeysetCursor.Encode($"{reader.GetDateTime(0).Ticks.ToString(CultureInfo.InvariantCulture)}|{reader.GetString(1)}");
        return new SeedFacts(daily, (ApiSeed.FirstCarrier + 0).ToString(CultureInfo.InvariantCulture), run, busyRuns, deep, cursor, KeysetCursor.Encode(deepSubscription));
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource db, string sql, NpgsqlParameter[] parameters, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var cmd = new NpgsqlCommand(sql, connection);
        cmd.Parameters.AddRange(parameters);
        return (T)(await cmd.ExecuteScalarAsync(cancellationToken))!;
    }
}
