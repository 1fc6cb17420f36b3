using System.Globalization;

namespace CarrierReports.Benchmarks;

/// <summary>Command-line options of the <c>api</c> benchmark.</summary>
/// <param name="Pages">Extra URLs measured with a signed-in session cookie (console pages), as given or read from a file.</param>
/// <param name="Connection">An existing PostgreSQL database to use and keep (seeded once, reused when it already holds this data set).</param>
/// <param name="As">The console session's role; a viewer is scoped to {carrier} only.</param>
public sealed record ApiOptions(int Subscriptions, int Runs, int Samples, int SignIns, IReadOnlyList<string> Pages, string? Connection, string As = "operator")
{
    public static readonly IReadOnlyList<string> Roles = ["operator", "admin", "viewer"];

    public const string ConnectionVariable = "CARRIERREPORTS_BENCH_CONNECTION";

    public const string Usage = """
        usage: dotnet run -c Release --project tests/CarrierReports.Benchmarks -- api [options]
          --subscriptions N   subscriptions in the service database (default 10000)
          --runs N            runs in the ledger, 3 deliveries each (default 1000000)
          --samples N         timed requests per URL, after 10 warm-up requests (default 200)
          --sign-ins N        timed password sign-ins (default 20)
          --page PATH         also time this URL with a session cookie (repeatable), e.g. --page /subscriptions
          --pages FILE        the same, one path per line ('#' starts a comment)
          --as ROLE           the session's role for --page URLs: operator (default, all carriers), admin (all carriers)
                              or viewer (scoped to {carrier} only)
          --connection CS     use this PostgreSQL database and keep it (default: a private cluster, deleted at the end;
                              also from CARRIERREPORTS_BENCH_CONNECTION). It is seeded only when it does not hold the data set yet.
        Paths may use {subscription} (the busy hourly subscription), {daily} (a daily one), {run} (a run of it) and
        {carrier} (its carrier). Needs the PostgreSQL server binaries (apt-get install -y postgresql) unless --connection is given.
        """;

    public static ApiOptions Parse(IReadOnlyList<string> args, string? connectionFromEnvironment)
    {
        var o = new ApiOptions(10_000, 1_000_000, 200, 20, [], connectionFromEnvironment is { Length: > 0 } c ? c : null);
        var pages = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new InputException(name, "needs a value");
            switch (name)
            {
                case "--subscriptions": o = o with { Subscriptions = Number(Value(), name, 1, 99_999) }; break;
                case "--runs": o = o with { Runs = Number(Value(), name, 1, 100_000_000) }; break;
                case "--samples": o = o with { Samples = Number(Value(), name, 20, 100_000) }; break;
                case "--sign-ins": o = o with { SignIns = Number(Value(), name, 1, 1_000) }; break;
                case "--page": pages.Add(PagePath(Value(), name)); break;
                case "--pages": pages.AddRange(ReadPages(Value(), name)); break;
                case "--connection": o = o with { Connection = Value() }; break;
                case "--as":
                    var role = Value();
                    o = Roles.Contains(role) ? o with { As = role } : throw new InputException(name, $"'{role}' is not one of {string.Join(", ", Roles)}");
                    break;
                default: throw new InputException(name, "unknown option");
            }
        }

        if (o.Runs < o.Subscriptions)
        {
            throw new InputException("--runs", $"{o.Runs} is fewer than --subscriptions {o.Subscriptions}; every subscription needs a run");
        }

        return o with { Pages = pages };
    }

    private static IEnumerable<string> ReadPages(string file, string field)
    {
        if (!File.Exists(file))
        {
            throw new InputException(field, $"file '{file}' does not exist");
        }

        return File.ReadAllLines(file).Select(l => l.Split('#')[0].Trim()).Where(l => l.Length > 0).Select(l => PagePath(l, field)).ToList();
    }

    private static string PagePath(string path, string field) =>
        path.StartsWith('/') && !path.StartsWith("//", StringComparison.Ordinal) ? path : throw new InputException(field, $"'{path}' is not a path on the app (e.g. /subscriptions)");

    private static int Number(string text, string field, int min, int max) =>
        int.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new InputException(field, $"'{text}' is not a whole number in {min}..{max}");
}
