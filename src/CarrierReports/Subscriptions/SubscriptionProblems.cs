using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace CarrierReports.Subscriptions;

/// <summary>
/// RFC 9457 answers for subscription requests. A validation error keeps the words of <see cref="Subscription.Create"/>
/// (what the CLI and the config loader print), split into field → reason.
/// </summary>
public static partial class SubscriptionProblems
{
    public static IResult Invalid(SubscriptionException ex)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var line in ex.Errors)
        {
            var m = ErrorLine().Match(line);
            var (field, reason) = m.Success ? (m.Groups["field"].Value, m.Groups["reason"].Value) : ("", line);
            (errors.TryGetValue(field, out var list) ? list : errors[field] = []).Add(reason);
        }

        return TypedResults.ValidationProblem(errors.ToDictionary(e => e.Key, e => e.Value.ToArray()),
            detail: string.Join(Environment.NewLine, ex.Errors), title: "The subscription is not valid");
    }

    /// <summary>A body that is not a subscription definition: the JSON path and the parser's reason.</summary>
    public static IResult Unreadable(JsonException ex) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [(ex.Path ?? "$").TrimStart('$', '.')] = [ex.Message] },
            title: "The body is not a subscription definition");

    public static IResult Refused(SubscriptionChangeException ex) => ex.Kind switch
    {
        SubscriptionChangeKind.NotFound => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, detail: ex.Message),
        SubscriptionChangeKind.Stale => TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "Changed meanwhile", detail: ex.Message),
        _ => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Cannot change it here", detail: ex.Message),
    };

    public static IResult IfMatchRequired(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status428PreconditionRequired, title: "If-Match required",
            detail: $"send the ETag of subscription '{id}' you last read in If-Match, so a change made meanwhile is not overwritten");

    public static IResult NotFound(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, detail: $"subscription '{id}' does not exist");

    /// <summary><c>subscription 'id' (origin): Field: reason</c>, or <c>subscription in origin: Field: reason</c> for one without an id.</summary>
    [GeneratedRegex(@"^subscription (?:'[^']*'(?: \([^)]*\))?|in .+?): (?<field>[A-Za-z]+(?::[A-Za-z]+)*): (?<reason>.*)$", RegexOptions.Singleline)]
    private static partial Regex ErrorLine();
}
