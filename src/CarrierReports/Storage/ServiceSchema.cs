using System.Data.Common;

namespace CarrierReports.Storage;

/// <summary>The service database's own tables (<c>cr_*</c>): subscriptions, runs, run artifacts and deliveries.</summary>
public static class ServiceSchema
{
    /// <summary>Creates the <c>cr_*</c> tables and indexes that do not exist yet; safe to run again, and from several nodes at once.</summary>
    public static async Task CreateAsync(DbConnection connection, bool isPostgres, CancellationToken cancellationToken)
    {
        var ts = isPostgres ? "timestamptz" : "text";
        var sql = $"""
            CREATE TABLE IF NOT EXISTS cr_subscriptions (
                id text PRIMARY KEY,
                definition text NOT NULL,
                updated_at {ts} NOT NULL
            );
            CREATE TABLE IF NOT EXISTS cr_runs (
                run_id text PRIMARY KEY,
                subscription_id text NOT NULL,
                period_from {ts} NOT NULL,
                period_to {ts} NOT NULL,
                time_zone text NOT NULL,
                range_expr text NOT NULL,
                scheduled_at {ts} NOT NULL,
                started_at {ts} NOT NULL,
                finished_at {ts},
                heartbeat_at {ts} NOT NULL,
                node text NOT NULL,
                trigger_kind text NOT NULL,
                attempt integer NOT NULL,
                status text NOT NULL,
                error text,
                note text,
                report_rows integer,
                attempts_total bigint
            );
            CREATE INDEX IF NOT EXISTS ix_cr_runs_subscription ON cr_runs (subscription_id, period_from);
            CREATE INDEX IF NOT EXISTS ix_cr_runs_status ON cr_runs (status);
            CREATE INDEX IF NOT EXISTS ix_cr_runs_status_started ON cr_runs (status, started_at);
            CREATE INDEX IF NOT EXISTS ix_cr_runs_started ON cr_runs (started_at, run_id);
            CREATE INDEX IF NOT EXISTS ix_cr_runs_subscription_started ON cr_runs (subscription_id, started_at, run_id);
            CREATE UNIQUE INDEX IF NOT EXISTS ux_cr_runs_running_period ON cr_runs (subscription_id, period_from, period_to) WHERE status = 'running';
            CREATE TABLE IF NOT EXISTS cr_run_artifacts (
                run_id text NOT NULL,
                file_name text NOT NULL,
                format text NOT NULL,
                bytes bigint NOT NULL,
                sha256 text NOT NULL,
                archive_id text,
                archive_path text,
                PRIMARY KEY (run_id, file_name)
            );
            CREATE TABLE IF NOT EXISTS cr_deliveries (
                subscription_id text NOT NULL,
                period_from {ts} NOT NULL,
                period_to {ts} NOT NULL,
                recipient text NOT NULL,
                kind text NOT NULL,
                message_id text NOT NULL,
                outcome text NOT NULL,
                smtp_reply text,
                attempts integer NOT NULL,
                error text,
                run_id text NOT NULL,
                updated_at {ts} NOT NULL,
                PRIMARY KEY (subscription_id, period_from, period_to, recipient)
            );
            CREATE INDEX IF NOT EXISTS ix_cr_deliveries_recipient ON cr_deliveries (recipient, updated_at);
            """;
        if (!isPostgres)
        {
            sql = "PRAGMA journal_mode=WAL;\n" + sql;
        }
        else
        {
            // The API pages subscriptions in ordinal id order (SubscriptionTable.PageAsync); the primary key's index is in
            // the database's collation, which may not be "C".
            sql += "\nCREATE INDEX IF NOT EXISTS ix_cr_subscriptions_id_c ON cr_subscriptions (id COLLATE \"C\");";
        }

        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        if (isPostgres)
        {
            // Several nodes may start at once: serialise the DDL.
            cmd.CommandText = "SELECT pg_advisory_xact_lock(20261127);\n" + sql;
            await using var tx = await connection.BeginTransactionAsync(cancellationToken);
            cmd.Transaction = tx;
            await cmd.ExecuteNonQueryAsync(cancellationToken);
            await SubscriptionCarrierColumn.EnsureAsync(connection, tx, true, cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }
        else
        {
            await cmd.ExecuteNonQueryAsync(cancellationToken);
            await SubscriptionCarrierColumn.EnsureAsync(connection, null, false, cancellationToken);
        }
    }
}
