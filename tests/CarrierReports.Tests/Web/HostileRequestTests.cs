using System.Net;
using System.Text;

namespace CarrierReports.Tests.Web;

/// <summary>
/// Issue 9, finding 1: one HTTP request used to stop <c>serve</c> (a POST to the health URL ended the process with
/// exit code 0). Here a real <c>serve</c> process gets every kind of unwelcome request on every health URL and must
/// answer each without going away.
/// </summary>
public sealed class HostileRequestTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly string[] HealthPaths = ["/health/live", "/health/ready", "/health/details"];

    [Fact]
    public async Task NoRequest_StopsServe_AndEveryOtherMethodGets405WithAllow()
    {
        using var serve = SqliteServe.Start();
        var web = await serve.Node.WebUrlAsync();
        using var http = new HttpClient { BaseAddress = web, Timeout = TimeSpan.FromSeconds(20) };
        var answers = new List<string>();
        foreach (var path in HealthPaths)
        {
            foreach (var method in new[] { "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT-ME" })
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{\"x\":1}", Encoding.UTF8, "application/json") };
                using var response = await http.SendAsync(request);
                answers.Add($"{method} {path}: {(int)response.StatusCode}");
                Assert.True(response.StatusCode == HttpStatusCode.MethodNotAllowed, $"{method} {path}: {response.StatusCode}\n{serve.Node.Output}");
                Assert.Equal("GET, HEAD", string.Join(", ", response.Content.Headers.Allow.Count > 0 ? response.Content.Headers.Allow : response.Headers.GetValues("Allow")));
            }

            foreach (var raw in HostileRequests(web, path))
            {
                var answer = await RawHttp.SendAsync(web, raw.Bytes, raw.CloseAfterSend);
                var statusLine = answer.Split("\r\n")[0];
                answers.Add($"{raw.Name} {path}: {(statusLine.Length == 0 ? "(connection closed)" : statusLine)}");
                Assert.False(serve.Node.HasExited, $"serve exited after {raw.Name} to {path}\n{serve.Node.Output}");
                if (raw.Expect is { } expect)
                {
                    Assert.True(statusLine.StartsWith(expect, StringComparison.Ordinal), $"{raw.Name} {path}: '{statusLine}', expected '{expect}'");
                }
            }
        }

        output.WriteLine(string.Join('\n', answers));
        Assert.False(serve.Node.HasExited, serve.Node.Output);
        using var live = await http.GetAsync(new Uri("/health/live", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("""{"status":"Healthy"}""", await live.Content.ReadAsStringAsync());
        using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/health/ready"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
    }

    private sealed record Raw(string Name, byte[] Bytes, string? Expect, bool CloseAfterSend = false);

    private static IEnumerable<Raw> HostileRequests(Uri web, string path)
    {
        var host = $"Host: {web.Authority}\r\n";
        static byte[] A(string s) => Encoding.Latin1.GetBytes(s);
        var garbage = new byte[8192];
        new Random(42).NextBytes(garbage);
        yield return new Raw("garbage bytes", garbage, "HTTP/1.1 400");
        yield return new Raw("garbage then close", garbage[..100], null, CloseAfterSend: true);
        yield return new Raw("POST without Content-Length", A($"POST {path} HTTP/1.1\r\n{host}\r\n"), "HTTP/1.1 405");
        yield return new Raw("Content-Length not a number", A($"POST {path} HTTP/1.1\r\n{host}Content-Length: abc\r\n\r\n"), "HTTP/1.1 400");
        yield return new Raw("negative Content-Length", A($"GET {path} HTTP/1.1\r\n{host}Content-Length: -5\r\n\r\n"), "HTTP/1.1 400");
        yield return new Raw("Content-Length longer than the body", A($"PUT {path} HTTP/1.1\r\n{host}Content-Length: 100000\r\n\r\nshort"), null, CloseAfterSend: true);
        yield return new Raw("Content-Length over the limit", A($"POST {path} HTTP/1.1\r\n{host}Content-Length: 99999999999\r\n\r\n"), null, CloseAfterSend: true);
        yield return new Raw("two Content-Lengths", A($"GET {path} HTTP/1.1\r\n{host}Content-Length: 1\r\nContent-Length: 2\r\n\r\nab"), "HTTP/1.1 400");
        yield return new Raw("Content-Length and chunked", A($"POST {path} HTTP/1.1\r\n{host}Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"), null);
        yield return new Raw("bad chunk size", A($"POST {path} HTTP/1.1\r\n{host}Transfer-Encoding: chunked\r\n\r\nZZZ\r\n\r\n"), null, CloseAfterSend: true);
        yield return new Raw("huge header", A($"GET {path} HTTP/1.1\r\n{host}X-Big: {new string('a', 200_000)}\r\n\r\n"), "HTTP/1.1 431");
        yield return new Raw("many headers", A($"GET {path} HTTP/1.1\r\n{host}{string.Concat(Enumerable.Range(0, 500).Select(i => $"X-H{i}: v\r\n"))}\r\n"), "HTTP/1.1 431");
        yield return new Raw("huge request line", A($"GET {path}?{new string('q', 100_000)} HTTP/1.1\r\n{host}\r\n"), "HTTP/1.1 414");
        yield return new Raw("header without colon", A($"GET {path} HTTP/1.1\r\n{host}nonsense\r\n\r\n"), "HTTP/1.1 400");
        yield return new Raw("NUL in the path", A($"GET {path}\0 HTTP/1.1\r\n{host}\r\n"), "HTTP/1.1 400");
        yield return new Raw("unknown HTTP version", A($"GET {path} HTTP/9.9\r\n{host}\r\n"), "HTTP/1.1 505");
        yield return new Raw("HTTP/2 preface on cleartext HTTP/1", A("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), null);
        yield return new Raw("request cut off mid-header", A($"GET {path} HTTP/1.1\r\nHo"), null, CloseAfterSend: true);
        yield return new Raw("absolute URI to another host", A($"GET http://evil.example{path} HTTP/1.1\r\nHost: evil.example\r\n\r\n"), "HTTP/1.1 400");
        yield return new Raw("foreign Host header (DNS rebinding)", A($"GET {path} HTTP/1.1\r\nHost: evil.example:{web.Port}\r\n\r\n"), "HTTP/1.1 400");
        yield return new Raw("path traversal", A($"GET /health/../../etc/passwd HTTP/1.1\r\n{host}\r\n"), "HTTP/1.1 404");
    }
}
