using CarrierReports.Tests.Support;
using Npgsql;

namespace CarrierReports.Tests.Cluster;

/// <summary>
/// CDRs around the time the cluster tests run (the subscriptions report the last 5 seconds), for carriers 1 and 2, and a
/// view <c>cdr_slow</c> over them that takes 3 seconds per carrier-2 row, to make a CDR query overrun its timeout.
/// </summary>
internal static class ClusterCdrData
{
    public static async Task<string> CreateAsync(PostgresCluster cluster, string name)
    {
        var connectionString = await cluster.CreateDatabaseAsync($"{name}_{Guid.NewGuid():N}"[..30]);
        var start = DateTimeOffset.UtcNow.AddMinutes(-2);
        var rows = new List<TestCdr>();
        string[] routes = ["uk-mobile", "de-mobile", "np-fixed"];
        for (var i = 0; i < 40 * 60; i++)
        {
            var t = start.AddSeconds(i);
            rows.Add(new TestCdr(t, 1 + (i % 2), routes[i % 3], i % 4 == 0 ? 0 : 30 + i % 90, i % 4 == 0 ? 486 : 200));
        }

        await CdrTable.Default.LoadPostgresAsync(connectionString, rows);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            CREATE FUNCTION cr_test_slow(carrier bigint) RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
            BEGIN
                IF carrier = 2 THEN PERFORM pg_sleep(3); END IF;
                RETURN true;
            END $$;
            CREATE VIEW cdr_slow AS SELECT * FROM cdr WHERE cr_test_slow(carrier_id);
            """, connection);
        await cmd.ExecuteNonQueryAsync();
        return connectionString;
    }
}
