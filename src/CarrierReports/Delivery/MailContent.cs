namespace CarrierReports.Delivery;

/// <summary>A report mail rendered from the templates: one subject line and the two bodies of a multipart/alternative message.</summary>
public sealed record MailContent(string Subject, string HtmlBody, string TextBody);
