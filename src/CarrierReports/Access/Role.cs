namespace CarrierReports.Access;

/// <summary>What a user or key may do; deny by default, so an unknown role string never becomes a role.</summary>
public enum Role
{
    /// <summary>
    /// Grants nothing: the default value, and the role recorded for a failed sign-in by someone who is not a user.
    /// Never parsed from text.
    /// </summary>
    None,

    /// <summary>Reads reports, subscriptions without recipients' addresses, and runs.</summary>
    Viewer,

    /// <summary>Support staff: changes subscriptions, previews, runs now, backfills, retries, resends.</summary>
    Operator,

    /// <summary>Reads everything including recipients, the archive and the audit log; changes nothing.</summary>
    Auditor,

    /// <summary>Users, keys and everything else.</summary>
    Admin,
}

public static class Roles
{
    /// <summary>The names used on the command line, in the database and in claims.</summary>
    public static string Name(this Role role) => role switch
    {
        Role.None => "none",
        Role.Viewer => "viewer",
        Role.Operator => "operator",
        Role.Auditor => "auditor",
        Role.Admin => "admin",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "not a role"),
    };

    public static bool TryParse(string? text, out Role role)
    {
        foreach (var r in Enum.GetValues<Role>())
        {
            if (r == Role.None)
            {
                continue;
            }

            if (string.Equals(r.Name(), text?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                role = r;
                return true;
            }
        }

        role = default;
        return false;
    }

    /// <param name="field">The flag or setting the text came from, for the error.</param>
    public static Role Parse(string? text, string field) =>
        TryParse(text, out var role)
            ? role
            : throw new InputException(field, $"'{text}' is not a role; use viewer, operator, auditor or admin");
}
