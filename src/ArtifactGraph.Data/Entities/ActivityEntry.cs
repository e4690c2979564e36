namespace ArtifactGraph.Data.Entities;

/// <summary>
/// One action on one item (table <c>directus_activity</c>, as Directus writes it): <c>create</c>, <c>update</c> or
/// <c>delete</c>, by whom, when and from where (address, user agent, origin).
/// </summary>
public sealed class ActivityEntry
{
    public int Id { get; set; }
    public string Action { get; set; } = "";
    public Guid? User { get; set; }
    public DateTime Timestamp { get; set; }
    public string? Ip { get; set; }
    public string? UserAgent { get; set; }
    public string Collection { get; set; } = "";
    public string Item { get; set; } = "";
    public string? Origin { get; set; }

    public User? UserRef { get; set; }

    public List<Revision> Revisions { get; set; } = null!;
}
