using ArtifactGraph.Data;

namespace ArtifactGraph.Server.Configuration;

/// <summary>
/// The server's settings, named as Directus names its environment variables so that a Directus
/// <c>.env</c> carries over. Bound from environment variables (and appsettings.json) by <see cref="SettingsLoader"/>.
/// </summary>
public sealed record ServerSettings
{
    /// <summary><c>DB_CLIENT</c>: <c>sqlite3</c> (default) or <c>pg</c>.</summary>
    public DatabaseClient DbClient { get; init; } = DatabaseClient.Sqlite;

    /// <summary>The ADO.NET connection string built from <c>DB_FILENAME</c> or <c>DB_CONNECTION_STRING</c> / <c>DB_HOST</c>….</summary>
    public string ConnectionString { get; init; } = "Data Source=./data/artifactgraph.db";

    public string Host { get; init; } = "0.0.0.0";
    public int Port { get; init; } = 8055;
    public string? PublicUrl { get; init; }

    /// <summary><c>ADMIN_TOKEN</c>: a static administrator token stored on the admin user.</summary>
    public string? AdminToken { get; init; }
    public string AdminEmail { get; init; } = "admin@example.com";

    /// <summary><c>QUERY_LIMIT_DEFAULT</c>: the limit of a list when the query gives none (100).</summary>
    public int QueryLimitDefault { get; init; } = 100;

    /// <summary><c>QUERY_LIMIT_MAX</c>: the largest limit a query may ask for; null = unlimited.</summary>
    public int? QueryLimitMax { get; init; }

    /// <summary><c>GRAPHQL_QUERY_TOKEN_LIMIT</c>: the most tokens a GraphQL document may have (5000).</summary>
    public int GraphQLQueryTokenLimit { get; init; } = 5000;

    /// <summary><c>MAX_PAYLOAD_SIZE</c> in bytes (default 1mb).</summary>
    public long MaxPayloadSize { get; init; } = 1024 * 1024;

    /// <summary>
    /// <c>MAX_FILE_SIZE</c> in bytes: the largest file <c>POST /files</c> accepts, counted while it streams (null, the
    /// default, is unlimited). Uploads are not bound by <c>MAX_PAYLOAD_SIZE</c>.
    /// </summary>
    public long? MaxFileSize { get; init; }

    /// <summary>
    /// <c>FILE_METADATA_ALLOW_LIST</c>: the EXIF values an uploaded image keeps in <c>metadata</c>, as <c>section.Name</c>
    /// paths (<c>*</c> for all), comma-separated; Directus's default list.
    /// </summary>
    public IReadOnlyList<string> FileMetadataAllowList { get; init; } = Storage.ExifTags.DefaultAllowList;

    /// <summary>
    /// <c>MAX_RELATIONAL_DEPTH</c>: the longest field, filter or sort path of a query, counted in fields as Directus's
    /// <c>validateQuery</c> counts (10, at least 2): <c>files.directus_files_id.folder.name</c> is 4.
    /// </summary>
    public int MaxRelationalDepth { get; init; } = 10;

    /// <summary>
    /// <c>QUERY_FIRST_BATCH_SIZE</c> (ArtifactGraph's own): the root rows of the first batch of a list that may be larger
    /// (<c>limit: -1</c>, or a larger limit), which is read, written and dropped batch by batch (4,096, at least 1): a
    /// list that fits is read in one statement.
    /// </summary>
    public int QueryFirstBatchSize { get; init; } = Items.ItemBatches.DefaultFirstSize;

    /// <summary>
    /// <c>QUERY_BATCH_SIZE</c> (ArtifactGraph's own): the root rows of each later batch of such a list (1,000, at least 1).
    /// Smaller batches hold less memory at once and cost more statements.
    /// </summary>
    public int QueryBatchSize { get; init; } = Items.ItemBatches.DefaultSize;

    /// <summary>
    /// <c>GRAPHQL_INTROSPECTION</c>: answer introspection (<c>__schema</c>, <c>__type</c>, <c>?sdl</c>) for everyone (true).
    /// False refuses it, and strips "Did you mean …?" from validation messages, for everyone but administrators.
    /// </summary>
    public bool GraphQLIntrospection { get; init; } = true;

    /// <summary>
    /// Whether every write sends its change records to the other nodes (<c>NOTIFY</c>), not only writes that change
    /// access: for their subscribers when WebSockets are on, for their cached answers when the data cache purges on
    /// writes, and for the benchmark's <see cref="InvalidationNotifyAll"/>.
    /// </summary>
    public bool NotifiesEveryWrite => InvalidationNotifyAll || WebSockets.ServesGraphQL || (Cache.Enabled && Cache.AutoPurge);

    /// <summary>Directus's data cache (<c>CACHE_*</c>, off by default).</summary>
    public CacheSettings Cache { get; init; } = new();

    /// <summary>Directus's WebSocket settings (<c>WEBSOCKETS_*</c>): GraphQL subscriptions over graphql-transport-ws.</summary>
    public WebSocketSettings WebSockets { get; init; } = new();

    /// <summary>
    /// <c>GRAPHQL_QUERY_TIMEOUT</c> (ArtifactGraph's own; Directus has no such limit): the most milliseconds a GraphQL
    /// query operation may take, validation and every database read included (30000); 0 for no limit. Mutations are not
    /// cut short: a write that has committed cannot be taken back, so its answer must arrive.
    /// </summary>
    public int GraphQLQueryTimeout { get; init; } = 30_000;

    /// <summary>
    /// <c>GRAPHQL_DIRECT_READS</c> (ArtifactGraph's own): answer plain read queries (lists, items, their fields and
    /// relations, after the document passed validation once) by reading and writing the answer directly instead of
    /// through GraphQL.NET's field-by-field engine (true). The answers are the same; false is for comparing.
    /// </summary>
    public bool GraphQLDirectReads { get; init; } = true;

    /// <summary>
    /// <c>DB_COMPILED_QUERIES</c> (ArtifactGraph's own): read lists and relations without a search through EF Core
    /// compiled queries, one per shape, their keys and filter values as parameters, instead of building and translating
    /// their LINQ on every request (true). The SQL and the answers are the same; false is for comparing.
    /// </summary>
    public bool DbCompiledQueries { get; init; } = true;

    /// <summary>
    /// <c>DB_THREAD_SAFETY_CHECKS</c> (ArtifactGraph's own): EF Core's check that no database context is used by two
    /// operations at once, which throws when one is (false). The server never shares a context between parallel
    /// reads, so the check only costs time (two <c>AsyncLocal</c> writes per row read); the tests turn it on.
    /// </summary>
    public bool DbThreadSafetyChecks { get; init; }

    /// <summary>
    /// <c>INVALIDATION_NOTIFY_ALL</c> (ArtifactGraph's own, for the benchmark only): every write sends change records
    /// through PostgreSQL's <c>NOTIFY</c>, not just writes to the access collections (false): a promotion one record per
    /// row it wrote, a mutation one per collection and action. No node needs them yet; this measures what the coming
    /// change records (subscriptions, activity) will cost a write (<c>tests/bench.sh --scenario nodes</c>).
    /// </summary>
    public bool InvalidationNotifyAll { get; init; }

    /// <summary><c>RATE_LIMITER_ENABLED</c>, <c>RATE_LIMITER_POINTS</c>, <c>RATE_LIMITER_DURATION</c>: requests per caller (off, as in Directus).</summary>
    public RateLimiterSettings RateLimiter { get; init; } = new();

    /// <summary><c>STORAGE_LOCAL_ROOT</c>: where the local storage keeps file bytes.</summary>
    public string StorageLocalRoot { get; init; } = "./uploads";

    private readonly IReadOnlyList<StorageLocation>? storageLocations;

    /// <summary>
    /// <c>STORAGE_LOCATIONS</c> and their <c>STORAGE_&lt;NAME&gt;_*</c> settings; new uploads go to the first. Unless set,
    /// the one local location <c>local</c> at <see cref="StorageLocalRoot"/>.
    /// </summary>
    public IReadOnlyList<StorageLocation> StorageLocations
    {
        get => storageLocations ?? [new StorageLocation { Name = "local", Root = StorageLocalRoot }];
        init => storageLocations = value;
    }

    /// <summary>
    /// <c>LOG_LEVEL</c> (trace, debug, info, warn, error, fatal, silent): the minimum level of the server's logs.
    /// ASP.NET Core's <c>Logging__LogLevel__*</c> settings still refine it per category.
    /// </summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    /// <summary><c>GRAPHQL_IDE</c>: serve the Banana Cake Pop IDE to browsers that open <c>/graphql</c> (true).</summary>
    public bool GraphQLIde { get; init; } = true;

    /// <summary>Directus's <c>METRICS_ENABLED</c>: serve Prometheus metrics at <c>GET /metrics</c> (false).</summary>
    public bool MetricsEnabled { get; init; }

    /// <summary>Directus's <c>METRICS_TOKENS</c>: tokens a scraper sends as <c>Authorization: Metrics &lt;token&gt;</c> (administrators may read too).</summary>
    public IReadOnlyList<string> MetricsTokens { get; init; } = [];

    /// <summary>OpenTelemetry's <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>: export traces and metrics over OTLP there (off when unset).</summary>
    public string? OtlpEndpoint { get; init; }

    /// <summary><c>CORS_ENABLED</c>, <c>CORS_ORIGIN</c>…: cross-origin access for browser clients (off, as in Directus).</summary>
    public CorsSettings Cors { get; init; } = new();

    /// <summary>
    /// <c>IP_TRUST_PROXY</c>, as Directus reads it: <c>false</c> (the default: the connection's address), <c>true</c> (trust
    /// every proxy: the first address of <c>X-Forwarded-For</c>), a number of proxy hops, or a comma-separated list of
    /// trusted proxy addresses and subnets (<c>loopback</c>, <c>linklocal</c>, <c>uniquelocal</c> allowed).
    /// </summary>
    public string IpTrustProxy { get; init; } = "false";

    /// <summary>Directus's retention of activity and revisions (off by default).</summary>
    public Activity.RetentionSettings Retention { get; init; } = new();

    /// <summary>
    /// <c>ACCOUNTABILITY</c> (ours): what is recorded per collection when the database has no <c>directus_collections</c>
    /// table, as <c>collection:mode</c> pairs (<c>*</c> for every other collection; <c>all</c>, <c>activity</c> or
    /// <c>none</c>), e.g. <c>*:all,artifact_files:activity</c>. Empty: every collection <c>all</c>.
    /// </summary>
    public IReadOnlyDictionary<string, string?> Accountability { get; init; } = new Dictionary<string, string?>();

    /// <summary><c>IP_CUSTOM_HEADER</c>: a header holding the client's address (used when it holds a valid one); null for none.</summary>
    public string? IpCustomHeader { get; init; }
}

/// <summary>
/// <c>WEBSOCKETS_ENABLED</c> (false, as Directus), <c>WEBSOCKETS_GRAPHQL_ENABLED</c> (true), <c>WEBSOCKETS_GRAPHQL_PATH</c>
/// (<c>/graphql</c>), <c>WEBSOCKETS_GRAPHQL_AUTH</c> (<c>handshake</c>, <c>public</c> or <c>strict</c>),
/// <c>WEBSOCKETS_GRAPHQL_AUTH_TIMEOUT</c> (seconds, 10), <c>WEBSOCKETS_GRAPHQL_CONN_LIMIT</c> (unlimited),
/// <c>WEBSOCKETS_GRAPHQL_MAX_BACKLOG</c> (ours: messages waiting to be sent on one connection, 10,000),
/// <c>WEBSOCKETS_HEARTBEAT_ENABLED</c> (true) and <c>WEBSOCKETS_HEARTBEAT_PERIOD</c> (seconds, 30).
/// </summary>
public sealed record WebSocketSettings
{
    public bool Enabled { get; init; }

    public bool GraphQLEnabled { get; init; } = true;

    public string GraphQLPath { get; init; } = "/graphql";

    public string GraphQLAuth { get; init; } = "handshake";

    public TimeSpan GraphQLAuthTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public int? GraphQLConnectionLimit { get; init; }

    /// <summary>How many messages may wait to be sent on one connection (a peer that does not read); one more closes it with 1008.</summary>
    public int GraphQLMaxBacklog { get; init; } = 10_000;

    public bool HeartbeatEnabled { get; init; } = true;

    public TimeSpan HeartbeatPeriod { get; init; } = TimeSpan.FromSeconds(30);

    public bool ServesGraphQL => Enabled && GraphQLEnabled;
}
