using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CarrierReports.Subscriptions;

namespace CarrierReports.Tests.Api;

/// <summary>Small HTTP helpers for the API tests: JSON bodies in, status and parsed JSON out.</summary>
internal static class ApiTestCalls
{
    public static async Task<(HttpStatusCode Status, JsonElement Body, string? ETag)> SendAsync(this HttpClient client, HttpMethod method, string path,
        object? body = null, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = body is string text ? new StringContent(text, System.Text.Encoding.UTF8, "application/json") : JsonContent.Create(body);
        }

        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        using var response = await client.SendAsync(request);
        var raw = await response.Content.ReadAsStringAsync();
        var json = raw.Length > 0 && (response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) ?? false)
            ? JsonDocument.Parse(raw).RootElement.Clone()
            : default;
        return (response.StatusCode, json, response.Headers.ETag?.ToString());
    }

    public static Task<(HttpStatusCode Status, JsonElement Body, string? ETag)> GetJsonAsync(this HttpClient client, string path) =>
        client.SendAsync(HttpMethod.Get, path);

    /// <summary>A finished run in the ledger, as the runner records one (the runner itself is tested elsewhere).</summary>
    public static async Task InsertRunAsync(CarrierReports.Tests.Web.ApiHost host, string runId, string subscription)
    {
        await using var connection = await host.Get<CarrierReports.Storage.ServiceDatabase>().OpenAsync(CancellationToken.None);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            INSERT INTO cr_runs (run_id, subscription_id, period_from, period_to, time_zone, range_expr, scheduled_at, started_at, finished_at,
                                 heartbeat_at, node, trigger_kind, attempt, status)
            VALUES (@id, @sub, @at, @at, 'UTC', 'previous-day', @at, @at, @at, @at, 'n1', 'schedule', 1, 'succeeded')
            """;
        CarrierReports.Storage.ServiceDatabase.Add(cmd, "id", runId);
        CarrierReports.Storage.ServiceDatabase.Add(cmd, "sub", subscription);
        CarrierReports.Storage.ServiceDatabase.Add(cmd, "at", new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
        await cmd.ExecuteNonQueryAsync();
    }

    public static SubscriptionDefinition Definition(string id, string carrier = "544", params string[] to) => SubscriptionStoreTests.Definition(id, carrier, to);
}
