using System.Net;
using Microsoft.AspNetCore.Http;

namespace CarrierReports.Web;

/// <summary>Whether a request comes from this machine itself.</summary>
public static class LocalClient
{
    /// <summary>A loopback peer that is not relaying someone else: a reverse proxy on this machine adds forwarding headers.</summary>
    public static bool IsLocal(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } ip && IPAddress.IsLoopback(ip)
        && !context.Request.Headers.ContainsKey("X-Forwarded-For") && !context.Request.Headers.ContainsKey("Forwarded");
}
