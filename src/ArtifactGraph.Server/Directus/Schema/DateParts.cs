using System.Globalization;

namespace ArtifactGraph.Server.Directus.Schema;

/// <summary>The source of a <c>datetime_functions</c> object: the parts of a timestamp in UTC, as PostgreSQL's EXTRACT gives them.</summary>
public sealed record DateParts(DateTime? Value)
{
    public static readonly string[] Names = ["year", "month", "week", "day", "weekday", "hour", "minute", "second"];

    public int? Part(string name)
    {
        if (Value is not { } v)
        {
            return null;
        }

        var utc = v.Kind == DateTimeKind.Unspecified ? v : v.ToUniversalTime();
        return name switch
        {
            "year" => utc.Year,
            "month" => utc.Month,
            "week" => ISOWeek.GetWeekOfYear(utc),
            "day" => utc.Day,
            "weekday" => (int)utc.DayOfWeek,
            "hour" => utc.Hour,
            "minute" => utc.Minute,
            "second" => utc.Second,
            _ => null,
        };
    }
}
