using System.Globalization;
using System.Text.RegularExpressions;
using ArtifactGraph.Server.Configuration;
using Cronos;

namespace ArtifactGraph.Server.Activity;

/// <summary>
/// Directus's retention settings: <c>RETENTION_ENABLED</c> (false), <c>RETENTION_SCHEDULE</c> (<c>0 0 * * *</c>, UTC),
/// <c>RETENTION_BATCH</c> (500), <c>ACTIVITY_RETENTION</c> and <c>REVISIONS_RETENTION</c> (<c>90d</c>; durations as
/// Directus's <c>ms</c> reads them, <c>false</c> for none).
/// </summary>
public sealed partial record RetentionSettings
{
    public bool Enabled { get; init; }
    public string Schedule { get; init; } = "0 0 * * *";
    public int Batch { get; init; } = 500;
    public TimeSpan? Activity { get; init; } = TimeSpan.FromDays(90);
    public TimeSpan? Revisions { get; init; } = TimeSpan.FromDays(90);

    public CronExpression Cron => CronExpression.Parse(Schedule);

    /// <summary>
    /// Whether revisions are pruned on their own, as Directus decides: when activity is kept for ever, or longer than
    /// revisions (revisions go with their activity anyway).
    /// </summary>
    public bool PrunesRevisions => Revisions is not null && (Activity is null || Activity > Revisions);

    public static RetentionSettings Read(Func<string, string?> get)
    {
        var defaults = new RetentionSettings();
        var schedule = get("RETENTION_SCHEDULE") ?? defaults.Schedule;
        if (!TryCron(schedule))
        {
            throw new SettingsException("RETENTION_SCHEDULE", $"'{schedule}' is not a cron expression.");
        }

        return new RetentionSettings
        {
            Enabled = get("RETENTION_ENABLED") is { } enabled && (enabled.Equals("true", StringComparison.OrdinalIgnoreCase) || enabled == "1"),
            Schedule = schedule,
            Batch = get("RETENTION_BATCH") is { } batch
                ? int.TryParse(batch, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new SettingsException("RETENTION_BATCH", $"'{batch}' is not a positive whole number.")
                : defaults.Batch,
            Activity = get("ACTIVITY_RETENTION") is { } activity ? Duration("ACTIVITY_RETENTION", activity) : defaults.Activity,
            Revisions = get("REVISIONS_RETENTION") is { } revisions ? Duration("REVISIONS_RETENTION", revisions) : defaults.Revisions,
        };
    }

    /// <summary>A duration as the <c>ms</c> package reads it (<c>90d</c>, <c>12h</c>, <c>1.5 weeks</c>, a number of ms); <c>false</c> is none.</summary>
    public static TimeSpan? Duration(string variable, string value)
    {
        if (value.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var match = DurationPattern().Match(value.Trim());
        if (!match.Success)
        {
            throw new SettingsException(variable, $"'{value}' is not a duration such as 90d, 12h or 30m.");
        }

        var amount = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var unit = match.Groups[2].Value.ToLowerInvariant();
        var ms = unit switch
        {
            "" or "ms" or "msec" or "msecs" or "millisecond" or "milliseconds" => 1d,
            "s" or "sec" or "secs" or "second" or "seconds" => 1_000d,
            "m" or "min" or "mins" or "minute" or "minutes" => 60_000d,
            "h" or "hr" or "hrs" or "hour" or "hours" => 3_600_000d,
            "d" or "day" or "days" => 86_400_000d,
            "w" or "week" or "weeks" => 604_800_000d,
            "y" or "yr" or "yrs" or "year" or "years" => 31_557_600_000d,
            _ => throw new SettingsException(variable, $"'{value}' has an unknown unit."),
        };
        return TimeSpan.FromMilliseconds(amount * ms);
    }

    private static bool TryCron(string schedule)
    {
        try
        {
            CronExpression.Parse(schedule);
            return true;
        }
        catch (CronFormatException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"^(-?\d*\.?\d+)\s*([a-zA-Z]*)$")]
    private static partial Regex DurationPattern();
}
