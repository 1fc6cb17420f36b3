namespace CarrierReports.Rendering;

/// <summary>A document format a report can be rendered to.</summary>
public enum ReportFormatKind
{
    Csv,
    Pdf,
    Xlsx,
}

public static class ReportFormats
{
    /// <summary>Parses a comma-separated list such as <c>pdf,xlsx,csv</c>; names <paramref name="field"/> on error.</summary>
    public static IReadOnlyList<ReportFormatKind> ParseList(string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new InputException(field, "name at least one format: csv, pdf, xlsx");
        }

        var list = new List<ReportFormatKind>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var kind = part.ToLowerInvariant() switch
            {
                "csv" => ReportFormatKind.Csv,
                "pdf" => ReportFormatKind.Pdf,
                "xlsx" => ReportFormatKind.Xlsx,
                _ => throw new InputException(field, $"'{part}' is not a format; use csv, pdf or xlsx"),
            };
            if (!list.Contains(kind))
            {
                list.Add(kind);
            }
        }

        return list;
    }

    public static string Extension(this ReportFormatKind kind) => kind switch
    {
        ReportFormatKind.Csv => ".csv",
        ReportFormatKind.Pdf => ".pdf",
        ReportFormatKind.Xlsx => ".xlsx",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static string ContentType(this ReportFormatKind kind) => kind switch
    {
        ReportFormatKind.Csv => "text/csv",
        ReportFormatKind.Pdf => "application/pdf",
        ReportFormatKind.Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
