using System.Globalization;

namespace CarrierReports.Benchmarks;

/// <summary>Command-line options of the <c>load</c> benchmark.</summary>
/// <param name="Lead">Seconds from writing the subscriptions to their common fire time; the nodes must be up before it.</param>
/// <param name="MaxConcurrentRuns">Scheduling:MaxConcurrentRuns of each node; null keeps the product default.</param>
/// <param name="MailConnections">Mail:MaxConnections of each node; null keeps the product default.</param>
public sealed record LoadOptions(
    int Subscriptions,
    int Nodes,
    string Formats,
    string Range,
    string Bucket,
    int Carriers,
    int CallsPerCarrierDay,
    int Lead,
    int Timeout,
    int? MaxConcurrentRuns,
    int? MailConnections,
    string? Logs)
{
    /// <summary>Scheduling:ShareReportsFor of each node in seconds (0 = every run renders its own, as before issue 12); null keeps the default.</summary>
    public int? ShareReportsFor { get; init; }

    public const string Usage = """
        usage: dotnet run -c Release --project tests/CarrierReports.Benchmarks -- load [options]
          --subscriptions N     subscriptions, all firing at the same second (default 1000)
          --nodes N             'serve' processes sharing them through the clustered Quartz store (default 1, at most 8)
          --formats LIST        formats of every subscription, e.g. csv or pdf,xlsx,csv (default csv)
          --range EXPR          range of every subscription (default previous-day)
          --bucket SIZE         hour, day or month (default hour)
          --carriers N          carriers with CDRs; subscriptions cycle through them (default 50)
          --calls N             CDRs per carrier and day, over the last 3 days (default 4000)
          --lead SECONDS        from writing the subscriptions to the fire time; nodes must be up by then (default 45)
          --timeout SECONDS     give up this long after the fire time (default 600)
          --max-runs N          Scheduling:MaxConcurrentRuns of each node (default: the product default)
          --mail-connections N  Mail:MaxConnections of each node (default: the product default)
          --share-for SECONDS   Scheduling:ShareReportsFor of each node; 0 turns render-once-send-many off (default: the product default)
          --logs DIR            keep each node's output in DIR (default: deleted with the rest)
        Needs the PostgreSQL server binaries (apt-get install -y postgresql); starts a private cluster, an SMTP server on
        loopback and the nodes, and stops and deletes all of them at the end.
        """;

    public static LoadOptions Parse(IReadOnlyList<string> args)
    {
        var o = new LoadOptions(1000, 1, "csv", "previous-day", "hour", 50, 4000, 45, 600, null, null, null);
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new InputException(name, "needs a value");
            o = name switch
            {
                "--subscriptions" => o with { Subscriptions = Number(Value(), name, 1, 100_000) },
                "--nodes" => o with { Nodes = Number(Value(), name, 1, 8) },
                "--formats" => o with { Formats = Value() },
                "--range" => o with { Range = Value() },
                "--bucket" => o with { Bucket = Value() },
                "--carriers" => o with { Carriers = Number(Value(), name, 1, 10_000) },
                "--calls" => o with { CallsPerCarrierDay = Number(Value(), name, 1, 1_000_000) },
                "--lead" => o with { Lead = Number(Value(), name, 10, 3_600) },
                "--timeout" => o with { Timeout = Number(Value(), name, 10, 86_400) },
                "--max-runs" => o with { MaxConcurrentRuns = Number(Value(), name, 1, 256) },
                "--mail-connections" => o with { MailConnections = Number(Value(), name, 1, 1_000) },
                "--logs" => o with { Logs = Value() },
                "--share-for" => o with { ShareReportsFor = Number(Value(), name, 0, 86_400) },
                _ => throw new InputException(name, "unknown option"),
            };
        }

        Rendering.ReportFormats.ParseList(o.Formats, "--formats");
        Time.BucketSizes.Parse(o.Bucket, "--bucket");
        return o;
    }

    private static int Number(string text, string field, int min, int max) =>
        int.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new InputException(field, $"'{text}' is not a whole number in {min}..{max}");
}
