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

    /// <summary>Largest request body accepted, in bytes (Kestrel answers 413 above it). Default 1 MiB.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Password sign-ins (<c>POST /api/v1/session</c>) one client address may try per minute; more get 429.</summary>
    public int SignInPermitsPerMinute { get; set; } = 10;

    /// <summary>A session cookie ends after this long without a request (sliding). Default 8 hours.</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Reverse proxies whose X-Forwarded-For/-Proto are believed; none by default (off).</summary>
    public ForwardedHeadersSettings ForwardedHeaders { get; set; } = new();

    /// <summary>The URL prefix a reverse proxy publishes the service under (e.g. <c>/reports</c>); empty for none.</summary>
    public string PathBase { get; set; } = "";

    /// <summary>Checks the settings <see cref="WebUrls"/> does not; the error names the setting.</summary>
    /// <exception cref="InputException">A setting is out of range.</exception>
    public void Validate()
    {
        if (SignInPermitsPerMinute is < 1 or > 100_000)
        {
            throw new InputException($"{Section}:SignInPermitsPerMinute", $"{SignInPermitsPerMinute} is not between 1 and 100000");
        }

        if (SessionIdleTimeout < TimeSpan.FromMinutes(1) || SessionIdleTimeout > TimeSpan.FromDays(30))
        {
            throw new InputException($"{Section}:SessionIdleTimeout", $"{SessionIdleTimeout} is not between 00:01:00 and 30.00:00:00");
        }
    }
}
