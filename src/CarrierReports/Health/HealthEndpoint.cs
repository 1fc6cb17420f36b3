using System.Net;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CarrierReports.Health;

/// <summary>
/// <c>GET /health</c> on <see cref="HealthOptions.Url"/> while <c>serve</c> runs: the same report as the <c>health</c>
/// command, as plain text, with 200 when healthy and 503 when not, for load balancers and monitoring. Built on
/// <see cref="HttpListener"/> so serving one read-only page does not pull a web framework into the service.
/// </summary>
public sealed partial class HealthEndpoint(HealthCheck check, IOptions<HealthOptions> options, ILogger<HealthEndpoint> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var prefix = options.Value.Url!;
        using var listener = new HttpListener();
        try
        {
            listener.Prefixes.Add(prefix.EndsWith('/') ? prefix : prefix + "/");
            listener.Start();
        }
        catch (Exception ex) when (ex is HttpListenerException or ArgumentException)
        {
            throw new InputException(HealthOptions.Section + ":Url", $"cannot listen on '{prefix}': {ex.Message}");
        }

        LogListening(logger, prefix);
        await using var stop = stoppingToken.Register(listener.Stop);
        while (!stoppingToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException && stoppingToken.IsCancellationRequested)
            {
                break;
            }

            await AnswerAsync(context, stoppingToken);
        }
    }

    private async Task AnswerAsync(HttpListenerContext context, CancellationToken cancellationToken)
    {
        using var response = context.Response;
        try
        {
            if (context.Request.HttpMethod != "GET" || context.Request.Url?.AbsolutePath.TrimEnd('/').EndsWith("/health", StringComparison.Ordinal) != true)
            {
                response.StatusCode = 404;
                return;
            }

            var report = await check.CheckAsync(cancellationToken);
            var body = Encoding.UTF8.GetBytes(report.ToText() + "\n");
            response.StatusCode = report.Healthy ? 200 : 503;
            response.ContentType = "text/plain; charset=utf-8";
            response.ContentLength64 = body.Length;
            await response.OutputStream.WriteAsync(body, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(logger, ex.Message);
            response.StatusCode = 500;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Health endpoint: GET {Prefix}health")]
    private static partial void LogListening(ILogger logger, string prefix);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Health endpoint could not answer: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
