using CarrierReports.Storage;

namespace CarrierReports.Runs;

/// <summary>
/// The operator actions' tables. <c>cr_resends</c>: every resend of a delivered period, kept apart from
/// <c>cr_deliveries</c> so that a resend never counts as (or overwrites) the exactly-once delivery of a period.
/// <c>cr_backfill_jobs</c>: backfills started over HTTP and their progress, readable from any node.
/// </summary>
public sealed class OperatorSchema(ServiceDatabase database) : SchemaDdl(database, 20261201_73, Ddl)
{
    private static string Ddl(string ts) => $"""
        CREATE TABLE IF NOT EXISTS cr_resends (
            resend_id text PRIMARY KEY,
            run_id text NOT NULL,
            subscription_id text NOT NULL,
            period_from {ts} NOT NULL,
            period_to {ts} NOT NULL,
            recipient text NOT NULL,
            other_address integer NOT NULL,
            message_id text NOT NULL,
            outcome text NOT NULL,
            smtp_reply text,
            attempts integer NOT NULL,
            error text,
            files text NOT NULL,
            actor text NOT NULL,
            sent_at {ts} NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_cr_resends_run ON cr_resends (run_id, sent_at);
        CREATE TABLE IF NOT EXISTS cr_backfill_jobs (
            job_id text PRIMARY KEY,
            subscription_id text NOT NULL,
            carrier text NOT NULL,
            from_text text NOT NULL,
            to_text text NOT NULL,
            range_from {ts} NOT NULL,
            range_to {ts} NOT NULL,
            state text NOT NULL,
            total integer NOT NULL,
            done integer NOT NULL,
            failed integer NOT NULL,
            current_fire {ts},
            last_error text,
            cancel_requested integer NOT NULL,
            node text NOT NULL,
            requested_by text NOT NULL,
            created_at {ts} NOT NULL,
            updated_at {ts} NOT NULL,
            finished_at {ts}
        );
        CREATE INDEX IF NOT EXISTS ix_cr_backfill_jobs_subscription ON cr_backfill_jobs (subscription_id, created_at);
        """;
}
