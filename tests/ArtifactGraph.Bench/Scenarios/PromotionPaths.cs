using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ArtifactGraph.Bench.Infrastructure;
using ArtifactGraph.Bench.Load;
using Npgsql;

namespace ArtifactGraph.Bench.Scenarios;

/// <summary>
/// How the workers' promotions are spread. A path is (project, schema_key); worker w promotes the versions of path
/// w mod paths, so with one path all workers take turns on it (and queue on its project's row lock).
/// </summary>
/// <param name="Key">A short name for the progress lines and the tables.</param>
/// <param name="OneProject">All paths in one project (its row lock serialises them), or one project per path.</param>
/// <param name="OnePath">One path for all workers, or one path per worker.</param>
public sealed record PromotionLayout(string Key, string Label, bool OneProject, bool OnePath)
{
    public static IReadOnlyList<PromotionLayout> All { get; } =
    [
        new("one-project", "distinct paths, one project", OneProject: true, OnePath: false),
        new("projects", "distinct paths, distinct projects", OneProject: false, OnePath: false),
        new("contended", "one contended path", OneProject: true, OnePath: true),
    ];

    public int Paths(int workers) => OnePath ? 1 : workers;
}

/// <summary>
/// Fresh draft versions to promote, seeded straight into the database (new projects with paths of their own, so that a
/// run's checks see only its own promotions), and handed out once each: every request promotes a version that has
/// never been promoted, so none is a replay. A worker whose path has no version left stops (<see cref="LoadResult.RanOut"/>).
/// </summary>
public sealed class PromotionPaths : ILoadRequests
{
    private const string Mutation = "mutation {{ promoteArtifact(id: \"{0}\") {{ replayed project {{ context_version }} }} }}";

    private readonly ConcurrentQueue<Guid>[] _queues;
    private readonly Guid[] _projects;

    private PromotionPaths(PromotionLayout layout, Guid[] projects, ConcurrentQueue<Guid>[] queues, int versions)
    {
        Layout = layout;
        _projects = projects;
        _queues = queues;
        Seeded = versions;
    }

    public PromotionLayout Layout { get; }

    /// <summary>Draft versions seeded for the run, all paths together.</summary>
    public int Seeded { get; }

    /// <summary>Seeds <paramref name="versions"/> draft versions (at least one per path) in new projects, laid out for <paramref name="workers"/> workers.</summary>
    public static async Task<PromotionPaths> SeedAsync(
        PostgresAdmin postgres, string database, PromotionLayout layout, int workers, int versions, CancellationToken cancellationToken)
    {
        var paths = layout.Paths(workers);
        var perPath = Math.Max(1, (versions + paths - 1) / paths);
        var run = Guid.NewGuid().ToString("N")[..8];
        var projects = Enumerable.Range(0, layout.OneProject ? 1 : paths).Select(_ => Guid.NewGuid()).ToArray();
        var queues = new ConcurrentQueue<Guid>[paths];
        var rows = new VersionRows(paths * perPath);
        for (var p = 0; p < paths; p++)
        {
            var project = projects[layout.OneProject ? 0 : p];
            var key = $"promotions/{layout.Key}-{run}/path-{p:00}";
            queues[p] = new ConcurrentQueue<Guid>();
            for (var v = 1; v <= perPath; v++)
            {
                var id = Guid.NewGuid();
                queues[p].Enqueue(id);
                rows.Add(id, project, key, v);
            }
        }

        await using var connection = await postgres.OpenAsync(database, cancellationToken);
        await using (var insert = new NpgsqlCommand(
            """
            INSERT INTO projects (id, date_created, name, context, context_version)
            SELECT id, now(), name, '{"phase": "design"}', 0 FROM unnest(@ids, @names) AS p(id, name)
            """,
            connection))
        {
            insert.Parameters.AddWithValue("ids", projects);
            insert.Parameters.AddWithValue("names", projects.Select((_, i) => $"Promotions {layout.Key} {run} #{i}").ToArray());
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var insert = new NpgsqlCommand(
            """
            INSERT INTO artifact_versions (id, date_created, project_id, schema_key, version, status, content)
            SELECT id, now(), project, key, version, 'draft', content::json
            FROM unnest(@ids, @projects, @keys, @versions, @contents) AS v(id, project, key, version, content)
            """,
            connection) { CommandTimeout = 0 })
        {
            rows.AddParameters(insert.Parameters);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        // Statistics that know the new rows and the ones earlier promotions wrote, as autovacuum would soon have them. The
        // tables the promotions fill matter most: a server's connections keep the plans of the foreign-key checks on
        // directus_revisions, made while directus_activity and directus_revisions were empty (a sequential scan), until
        // their statistics change. Without this, each revision's check read every activity row written since the data set
        // was imported: 80 million rows in one run of this scenario, with promotions 4 to 6 times slower than without
        // recording, where autovacuum had not analysed those tables yet.
        await using (var analyze = new NpgsqlCommand(
            "ANALYZE projects, artifact_versions, artifact_approvals, directus_activity, directus_revisions", connection) { CommandTimeout = 0 })
        {
            await analyze.ExecuteNonQueryAsync(cancellationToken);
        }

        return new PromotionPaths(layout, projects, queues, rows.Count);
    }

    public GraphQLPost? Next(int worker)
        => _queues[worker % _queues.Length].TryDequeue(out var id)
            ? new GraphQLPost(string.Format(CultureInfo.InvariantCulture, Mutation, id))
            : null;

    /// <summary>A success is a GraphQL answer without errors whose promotion did the work: <c>replayed: false</c>.</summary>
    public string? Check(ReadOnlySpan<byte> body)
    {
        if (GraphQLPost.CheckAnswer(body) is { } problem)
        {
            return problem;
        }

        var reader = new Utf8JsonReader(body);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("replayed"u8))
            {
                reader.Read();
                return reader.TokenType == JsonTokenType.False ? null : "a replay: " + Encoding.UTF8.GetString(body[..Math.Min(body.Length, 300)]);
            }
        }

        return "no replayed field: " + Encoding.UTF8.GetString(body[..Math.Min(body.Length, 300)]);
    }

    /// <summary>
    /// Checks the database after <paramref name="promoted"/> successful promotions (the run's projects only): what is
    /// wrong, or nothing. Each project started at context_version 0 with no approval.
    /// </summary>
    public async Task<IReadOnlyList<string>> VerifyAsync(PostgresAdmin postgres, string database, long promoted, CancellationToken cancellationToken)
    {
        await using var connection = await postgres.OpenAsync(database, cancellationToken);
        var problems = new List<string>();

        async Task Expect(string what, long expected, string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
            command.Parameters.AddWithValue("projects", _projects);
            var actual = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
            if (actual != expected)
            {
                problems.Add($"{what}: {actual}, expected {expected}");
            }
        }

        await Expect("context_version increase (all projects of the row)", promoted,
            "SELECT coalesce(sum(context_version), 0) FROM projects WHERE id = ANY(@projects)");
        await Expect("approval rows", promoted,
            "SELECT count(*) FROM artifact_approvals WHERE project_id = ANY(@projects)");
        await Expect("versions no longer draft", promoted,
            "SELECT count(*) FROM artifact_versions WHERE project_id = ANY(@projects) AND status IS DISTINCT FROM 'draft'");
        await Expect("paths without exactly one approved version (among paths promoted at least once)", 0,
            """
            SELECT count(*) FROM (
                SELECT 1 FROM artifact_versions WHERE project_id = ANY(@projects) GROUP BY project_id, schema_key
                HAVING count(*) FILTER (WHERE status = 'approved') <> CASE WHEN bool_or(status <> 'draft') THEN 1 ELSE 0 END) bad
            """);
        await Expect("projects whose approvals are not numbered 1…context_version, once each", 0,
            """
            SELECT count(*) FROM (
                SELECT 1 FROM artifact_approvals a JOIN projects p ON p.id = a.project_id WHERE a.project_id = ANY(@projects)
                GROUP BY a.project_id, p.context_version
                HAVING count(*) <> p.context_version OR count(DISTINCT a.context_version) <> count(*)
                    OR min(a.context_version) <> 1 OR max(a.context_version) <> p.context_version) bad
            """);
        await Expect("paths whose last promoted version is not the approved one, or not in the context at schema_key", 0,
            """
            SELECT count(*) FROM (
                SELECT DISTINCT ON (v.project_id, v.schema_key) v.status, v.schema_key, v.content, p.context
                FROM artifact_approvals a JOIN artifact_versions v ON v.id = a.artifact_version_id JOIN projects p ON p.id = v.project_id
                WHERE a.project_id = ANY(@projects)
                ORDER BY v.project_id, v.schema_key, a.context_version DESC) last
            WHERE last.status <> 'approved'
                OR (last.context::jsonb #> regexp_split_to_array(last.schema_key, '[/.]')) IS DISTINCT FROM last.content::jsonb
            """);
        return problems;
    }

    /// <summary>The columns of the seeded versions, as arrays for one <c>INSERT … SELECT FROM unnest(…)</c>.</summary>
    private sealed class VersionRows(int capacity)
    {
        private readonly List<Guid> _ids = new(capacity);
        private readonly List<Guid> _projects = new(capacity);
        private readonly List<string> _keys = new(capacity);
        private readonly List<int> _versions = new(capacity);
        private readonly List<string> _contents = new(capacity);

        public int Count => _ids.Count;

        public void Add(Guid id, Guid project, string key, int version)
        {
            _ids.Add(id);
            _projects.Add(project);
            _keys.Add(key);
            _versions.Add(version);
            _contents.Add(JsonSerializer.Serialize(new
            {
                title = $"{key} v{version}",
                score = version % 10,
                summary = $"Revision {version} of {key}: scope, constraints and open questions as agreed in review.",
                checks = new[] { "reviewed", "tested", version % 2 == 0 ? "signed" : "pending" },
            }));
        }

        public void AddParameters(NpgsqlParameterCollection parameters)
        {
            parameters.AddWithValue("ids", _ids.ToArray());
            parameters.AddWithValue("projects", _projects.ToArray());
            parameters.AddWithValue("keys", _keys.ToArray());
            parameters.AddWithValue("versions", _versions.ToArray());
            parameters.AddWithValue("contents", _contents.ToArray());
        }
    }
}
