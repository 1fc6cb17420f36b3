using CarrierReports.Cdr;
using CarrierReports.WebConsole.Pages;

namespace CarrierReports.Tests.WebConsole;

/// <summary>The report page says what counts as answered in words, for every rule the CDR mapping writes (not the rule's column syntax).</summary>
public sealed class AnsweredInWordsTests
{
    private static readonly MappedColumn Text = new("answer_state", ColumnKind.Text);

    private static CdrMapping Mapping(MappedColumn? answered = null, MappedColumn? sip = null) =>
        new("cdr", new("start_time", ColumnKind.Time), new("carrier", ColumnKind.Text), new("route", ColumnKind.Text), new("duration", ColumnKind.Number), answered, sip);

    public static TheoryData<string, string> Rules() => new()
    {
        { Mapping().AnsweredRule, "lasted longer than 0 seconds" },
        { Mapping(sip: new("sip_code", ColumnKind.Number)).AnsweredRule, "SIP result was 200 OK" },
        { Mapping(answered: new("answered", ColumnKind.Boolean)).AnsweredRule, "the call record marks it as answered" },
        { (Mapping(answered: Text) with { AnswerValues = new(["ANSWERED", "OK"], null) }).AnsweredRule, "answer field says 'ANSWERED' or 'OK';" },
        { (Mapping(answered: Text) with { AnswerValues = new(["ANSWERED"], ["BUSY"]) }).AnsweredRule, "answer field says 'ANSWERED';" },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void EveryRuleOfTheMapping_IsSaidInWords_WithoutItsColumnSyntax(string rule, string words)
    {
        var said = AnsweredInWords.For(rule);

        Assert.Contains(words, said, StringComparison.Ordinal);
        Assert.StartsWith("A call counts as answered when ", said, StringComparison.Ordinal);
        Assert.DoesNotContain("(", said.Replace("(the call's SIP result was 200 OK)", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.EndsWith(".", said, StringComparison.Ordinal);
    }
}
