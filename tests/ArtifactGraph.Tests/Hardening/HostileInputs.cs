namespace ArtifactGraph.Tests.Hardening;

/// <summary>The hostile material the generator draws from: SQL fragments, odd paths, odd strings, wrong values.</summary>
internal static class HostileInputs
{
    /// <summary>Keys no seed row has, and that a few character edits cannot turn into one (see <see cref="KeyGuard"/>).</summary>
    public const string MissingUuid = "ffffffff-ffff-4fff-8fff-ffffffffffff";

    public const string OtherMissingUuid = "eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee";

    public const string MissingInt = "987654321";

    public static readonly string[] SqlFragments =
    [
        "'; DROP TABLE tasks; --", "id) OR 1=1 --", "pg_sleep(5)", "\"pg_sleep(5)\"", "' OR '1'='1", "1; DELETE FROM projects",
        "x' UNION SELECT token FROM directus_users --", "); DROP TABLE directus_users; --", "1 OR 1=1", "' AND sleep(5) --",
        "randomblob(1000000000)", "\\'; --", "%' --", "`id`", "[id]", "id--", "/* */id", "id;", "\"id\"", "load_extension('x')",
        "'||(SELECT 1)||'", "$1", "?", "@p0", ":name", "E'\\\\x00'", "0x41", "CHAR(65)", "json_extract(context, '$')",
    ];

    /// <summary>Field paths for <c>sort</c>: SQL, unknown, relational (too deep, through lists, into system collections), functions.</summary>
    public static readonly string[] SortPaths =
    [
        "-id; DROP", "project_id.name.x.y", "files.directus_files_id.id", "nonexistent", "-nonexistent", "", "-", "--id", "id ",
        " id", ".", "..", "id.", ".id", "project_id.", "project_id..name", "-project_id.name", "project_id.tasks", "artifacts.task_id",
        "year(", "year()", "year(id)", "year(date_created", "year(date_created))", "count(files", "count(artifacts)", "count(id)",
        "json(context", "json(context, a.b)", "unknown(date_created)", "YEAR(date_created)", "year(project_id.date_created)",
        "primary_file_id.uploaded_by.role.name", "primary_file_id.uploaded_by.token", "primary_file_id.uploaded_by.password",
        "primary_file_id.folder.parent.parent.parent.parent.parent.parent.parent.parent.parent.parent.name",
        "directus_users.token", "directus_users.password", "id\u0000", "id\nDROP", "íd", "ид", "id\u200B", "😀", "__typename",
        "_and", "_or", "count.id", "-count.id", "group", "countAll", "$id", "id)", "(id", "id,title", "id title", "*",
    ];

    public static readonly string[] GroupByPaths =
    [
        "year(", "count(files", "id) --", "year(date_created", "year(date_created)) --", "month(date_created)", "year(id)",
        "count(artifacts)", "count(files)", "project_id.name", "files", "artifacts", "nonexistent", "", "(", ")", "()", "year()",
        "json(context, phase)", "json(context", "weekday(date_created)", "hour(approved_at)", "status", "status", "-status",
        "status DESC", "status; DROP TABLE tasks", "\"status\"", "STATUS", "stat us", "context", "content", "id", "pg_sleep(5)",
    ];

    public static readonly string[] SearchStrings =
    [
        "%", "_", "\\", "%_\\", "'", "''", "\"", "' OR 1=1 --", "'; DROP TABLE tasks; --", "\u0000", "\\u0000", "\t\r\n", "   ",
        "😀", "\u202Eevil", "\uFFFD", "ß", "İ", "ﬁ", "*", "?", "[a-z]", "(a+)+$", "%%%%%%%%%%%%%%%%%%%%", "null", "NaN", "-1",
        "1e309", "9223372036854775808", "3", "spec", "budget", "11111111-1111-4111-8111-111111111111", "{\"a\":1}", "<script>",
    ];

    /// <summary>GraphQL literals of every shape and of wrong types, for argument and input values.</summary>
    public static readonly string[] ValueLiterals =
    [
        "null", "true", "false", "0", "-1", "2147483648", "-2147483649", "9223372036854775808", "1e309", "-0", "1.5", "0.1e-400",
        "\"\"", "\" \"", "\"x\"", "\"' OR 1=1 --\"", "\"'; DROP TABLE tasks; --\"", "\"pg_sleep(5)\"", "\"2024-13-45\"",
        "\"9999-12-31T23:59:59Z\"", "\"0000-00-00\"", "\"not-a-uuid\"", "\"" + MissingUuid + "\"", "\"NaN\"", "\"Infinity\"",
        "[]", "[null]", "[1, \"a\", null, true]", "[[[]]]", "{}", "{ _eq: 1 }", "{ id: { _eq: 1 } }", "ENUM_VALUE", "$undefined",
        "\"\"\"block\nstring\"\"\"", "\"\\u0000\"", "\"\\uFFFF\"", "\"😀\"",
    ];

    /// <summary>Value literals for documents that must never write (mutations): no key that may exist, no null, no object.</summary>
    public static readonly string[] WriteSafeValueLiterals =
    [
        "true", "false", "2147483648", "-2147483649", "1e309", "1.5", "\"\"", "\"x\"", "\"' OR 1=1 --\"", "\"'; DROP TABLE tasks; --\"",
        "\"pg_sleep(5)\"", "\"2024-13-45\"", "\"not-a-uuid\"", "\"" + MissingUuid + "\"", "\"NaN\"", "ENUM_VALUE", "\"😀\"",
    ];

    /// <summary>Names (valid GraphQL names) that a mutation may put where a field, argument or type name was.</summary>
    public static readonly string[] Names =
    [
        "nonexistent", "DROP", "pg_sleep", "__schema", "__type", "__typename", "directus_users", "users", "password", "token",
        "_and", "_or", "_eq", "_in", "_nnull", "_some", "_none", "id", "ID", "Int", "String", "Query", "Mutation", "on",
        "fragment", "query", "mutation", "subscription", "null", "true", "tasks_filter", "create_tasks_input", "files", "count",
    ];

    /// <summary>Characters and short snippets inserted by character-level mutations.</summary>
    public static readonly string[] Snippets =
    [
        "{", "}", "(", ")", "[", "]", ":", "$", "@", "!", "\"", "\\", ",", ".", "...", "#", "|", "&", "=", "-", "_", " ", "\n", "\t",
        "0", "a", "é", "😀", "\u200B", "\uFEFF", "\u0000", "\u0007", "\"\"\"", "@include(if: true)", "@skip(if: $x)", "$x",
        "__typename", "fragment", "on", "query", "mutation", "subscription", "null", "-1", "1e309", "...on tasks", "@deprecated",
    ];
}
