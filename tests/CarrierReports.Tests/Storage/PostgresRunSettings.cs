using CarrierReports.Tests.Support;

namespace CarrierReports.Tests.Storage;

/// <summary>Settings for a subscription run with CDRs and the ledger in PostgreSQL and mail into a pickup folder.</summary>
public static class PostgresRunSettings
{
    public static Dictionary<string, string?> Create(string cdr, string service, string dir)
    {
        var s = CliRunner.Postgres(cdr);
        s["Database:Provider"] = "Postgres";
        s["Database:ConnectionString"] = service;
        s["SubscriptionSources:Folder"] = Path.Combine(dir, "no-such-folder");
        s["Archive:Root"] = Path.Combine(dir, "archive");
        s["Mail:PickupFolder"] = Path.Combine(dir, "mail");
        s["Mail:From"] = "Carrier Reports <reports@carrier.example>";
        s["Carriers:1"] = "Acme Telecom";
        const string p = "Subscriptions:0:";
        s[p + "Id"] = "acme-daily";
        s[p + "Name"] = "Acme daily hourly ASR";
        s[p + "Carrier"] = "1";
        s[p + "Range"] = "previous-day";
        s[p + "TimeZone"] = "Europe/London";
        s[p + "Bucket"] = "hour";
        s[p + "Cadence"] = "daily@06:00";
        s[p + "Formats:0"] = "pdf";
        s[p + "Formats:1"] = "xlsx";
        s[p + "Formats:2"] = "csv";
        s[p + "Recipients:To:0"] = "noc@acme.example";
        return s;
    }
}
