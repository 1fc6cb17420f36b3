using System.Globalization;

namespace CarrierReports.Benchmarks;

/// <summary>Which index the CDR table carries while a phase is measured.</summary>
public enum IndexMode
{
    /// <summary>Only <c>(carrier_id, start_time)</c>: what most CDR tables already have.</summary>
    Plain,

    /// <summary><c>(carrier_id, start_time) INCLUDE (provider_card_id, duration)</c>: lets the aggregation skip the heap.</summary>
    Covering,

    /// <summary>Measure with the plain index, then add the covering one and measure again.</summary>
    Both,
}

/// <summary>Command-line options of the <c>aggregation</c> benchmark.</summary>
/// <param name="Connection">An existing database to use instead of a private cluster (env <c>CARRIERREPORTS_BENCH_CONNECTION</c>).</param>
public sealed record BenchOptions(long Rows, int Runs, int Warmup, IndexMode Index, bool Explain, string Table, string? Connection)
{
    public const string ConnectionVariable = "CARRIERREPORTS_BENCH_CONNECTION";

    public const string Usage = """
        usage: dotnet run -c Release --project tests/CarrierReports.Benchmarks -- aggregation [options]
          --rows N        synthetic CDRs to generate (default 10000000)
          --runs N        measured runs per query; the median is reported (default 7, at least 5)
          --warmup N      runs discarded first (default 2)
          --index MODE    plain | covering | both (default both: plain first, then with the covering index)
          --table NAME    CDR table to create or reuse (default cdr_bench)
          --explain       print EXPLAIN (ANALYZE, BUFFERS) of each query once
        Without CARRIERREPORTS_BENCH_CONNECTION a private PostgreSQL cluster is started and deleted afterwards;
        with it, that database is used and the table is kept, so a second run with the same --rows skips generation.
        """;

    public static BenchOptions Parse(IReadOnlyList<string> args, string? connection)
    {
        var options = new BenchOptions(10_000_000, 7, 2, IndexMode.Both, false, "cdr_bench", string.IsNullOrWhiteSpace(connection) ? null : connection);
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new InputException(name, "needs a value");
            options = name switch
            {
                "--rows" => options with { Rows = Number(Value(), name, 1_000, 1_000_000_000) },
                "--runs" => options with { Runs = (int)Number(Value(), name, 5, 1_000) },
                "--warmup" => options with { Warmup = (int)Number(Value(), name, 0, 100) },
                "--index" => options with
                {
                    Index = Value().ToLowerInvariant() switch
                    {
                        "plain" => IndexMode.Plain,
                        "covering" => IndexMode.Covering,
                        "both" => IndexMode.Both,
                        var other => throw new InputException(name, $"'{other}' is not an index mode; use plain, covering or both"),
                    },
                },
                "--table" => options with { Table = Value() },
                "--explain" => options with { Explain = true },
                _ => throw new InputException(name, "unknown option"),
            };
        }

        Cdr.SqlIdentifier.Validate(options.Table, "--table");
        return options;
    }

    private static long Number(string text, string field, long min, long max) =>
        long.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new InputException(field, $"'{text}' is not a whole number in {min}..{max}");
}
