namespace CarrierReports.Web;

/// <summary>The web host of <c>serve</c> (health endpoints now; the console and API of issue 10 next). Section <c>Web</c>.</summary>
public sealed class WebOptions
{
    public const string Section = "Web";

    /// <summary>Where Kestrel listens, <c>;</c>-separated (e.g. <c>http://127.0.0.1:8080;http://[::1]:8080</c>). Port 0 picks a free port (it is logged).</summary>
    public string Urls { get; set; } = "http://127.0.0.1:8080";

    /// <summary>Must be true for any URL that is not on a loopback address (<c>+</c>, <c>*</c>, <c>0.0.0.0</c>, a host name, a LAN address).</summary>
    public bool AllowRemote { get; set; }

    /// <summary>False: this node serves the web host only and runs no scheduled jobs (same as <c>serve --web-only</c>).</summary>
    public bool Scheduler { get; set; } = true;

    /// <summary>Whether <c>/health/details</c> answers loopback clients (the only way to see the full report until sign-in exists).</summary>
    public bool DetailsFromLoopback { get; set; } = true;

    /// <summary>Largest request body accepted, in bytes (Kestrel answers 413 above it). Default 1 MiB.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;
}
