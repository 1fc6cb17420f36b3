using System.Net.Sockets;
using System.Text;

namespace CarrierReports.Tests.Web;

/// <summary>Bytes straight onto a TCP socket, for requests no HTTP client would send.</summary>
internal static class RawHttp
{
    /// <summary>Sends <paramref name="request"/>, then reads what comes back until the server closes or a few seconds pass.</summary>
    public static async Task<string> SendAsync(Uri server, byte[] request, bool closeAfterSend = false)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        var stream = client.GetStream();
        try
        {
            await stream.WriteAsync(request);
            if (closeAfterSend)
            {
                client.Client.Shutdown(SocketShutdown.Send);
            }
        }
        catch (IOException)
        {
            // The server may close the connection while a huge request is still being written; that is an answer too.
        }

        var answer = new MemoryStream();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            int n;
            while ((n = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                answer.Write(buffer, 0, n);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            // Reset by the server or nothing more to read: keep what arrived.
        }

        return Encoding.Latin1.GetString(answer.ToArray());
    }

    public static Task<string> SendAsync(Uri server, string request, bool closeAfterSend = false) =>
        SendAsync(server, Encoding.Latin1.GetBytes(request), closeAfterSend);
}
