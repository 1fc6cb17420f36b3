using System.Text;
using Microsoft.Extensions.Options;
using MimeKit;

namespace CarrierReports.Delivery;

/// <summary>
/// Writes each message as <c>&lt;message-id&gt;.eml</c> into <see cref="MailOptions.PickupFolder"/>: the embedded
/// default, for trying the service without a mail server and for relays that watch a pickup directory.
/// </summary>
/// <remarks>
/// The file starts with <c>X-Sender</c> and <c>X-Receiver</c> lines (the pickup-directory convention of IIS and
/// Exchange) because the file alone would lose the envelope: a Bcc recipient appears in no other header.
/// </remarks>
public sealed class PickupFolderMailSender(IOptions<MailOptions> options) : IMailSender
{
    private readonly string _folder = options.Value.PickupFolder;

    public Task<IMailBatch> OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            Directory.CreateDirectory(_folder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MailSendException($"cannot create pickup folder '{_folder}': {ex.Message}", isTransient: ex is IOException, inner: ex);
        }

        return Task.FromResult<IMailBatch>(new Batch(_folder));
    }

    /// <summary>The file name for a Message-ID: brackets dropped, anything outside letters, digits, '.', '-', '_', '@' replaced.</summary>
    internal static string FileName(string messageId)
    {
        var name = new StringBuilder();
        foreach (var c in messageId.Trim('<', '>'))
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '@' ? c : '_');
        }

        return name + ".eml";
    }

    private sealed class Batch(string folder) : IMailBatch
    {
        private static readonly FormatOptions Format = CreateFormat();

        public bool IsUsable => true;

        public async Task<string> SendAsync(MimeMessage message, MailboxAddress sender, MailboxAddress recipient, CancellationToken cancellationToken)
        {
            var name = FileName(message.MessageId ?? throw new ArgumentException("the message has no Message-ID", nameof(message)));
            var path = Path.Combine(folder, name);
            // Written under a temporary name and renamed, so a watcher never picks up half a message.
            var temp = Path.Combine(folder, $".{name}.{Guid.NewGuid():N}.tmp");
            try
            {
                await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    var envelope = Encoding.ASCII.GetBytes($"X-Sender: {sender.Address}\r\nX-Receiver: {recipient.Address}\r\n");
                    await file.WriteAsync(envelope, cancellationToken);
                    await message.WriteToAsync(Format, file, cancellationToken);
                    file.Flush(flushToDisk: true);
                }

                File.Move(temp, path, overwrite: true);
                return $"250 written to pickup folder as {name}";
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                TryDelete(temp);
                throw new MailSendException($"cannot write '{path}': {ex.Message}", isTransient: ex is IOException, inner: ex);
            }
            catch (OperationCanceledException)
            {
                TryDelete(temp);
                throw;
            }
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        private static FormatOptions CreateFormat()
        {
            var format = FormatOptions.Default.Clone();
            format.NewLineFormat = NewLineFormat.Dos;
            return format;
        }

        private static void TryDelete(string path)
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Left behind as a dot-file that no pickup reader takes; nothing better to do here.
            }
        }
    }
}
