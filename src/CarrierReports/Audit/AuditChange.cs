namespace CarrierReports.Audit;

/// <summary>
/// Builds the audit row of a change from the target before (null when created) and after it. A store that takes one
/// appends the row in the change's own transaction, so the change and its audit row commit together or not at all.
/// </summary>
public delegate AuditRecord AuditChange<in T>(T? before, T after)
    where T : class;
