namespace CarrierReports.WebConsole.Pages.Admin;

/// <summary>
/// A confirmation card of the admin pages (<c>_ConfirmStep</c>): the question, what will happen, and the one form that
/// does it; Cancel goes back to <paramref name="CancelUrl"/> without changing anything.
/// </summary>
/// <param name="Route">The handler's route values (the user name or the key id).</param>
public sealed record ConfirmStep(string Question, IReadOnlyList<string> Consequences, string Handler, IDictionary<string, string> Route, string Yes, string CancelUrl);
