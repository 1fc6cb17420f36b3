namespace CarrierReports.Storage;

/// <summary>
/// The service database is there but cannot be used as asked: its tables are missing, or the role lacks a right. The
/// message names the fix; the CLI prints it as one line and exits 1.
/// </summary>
public sealed class DatabaseAccessException(string message, Exception? inner = null) : Exception(message, inner);
