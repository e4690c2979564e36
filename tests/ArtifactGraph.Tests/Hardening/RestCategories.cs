using System.Text;
using static ArtifactGraph.Tests.Hardening.RequestBuilder;

namespace ArtifactGraph.Tests.Hardening;

/// <summary>
/// Requests to the REST routes and JSON mutated below GraphQL: GraphQL bodies and variables through <see cref="JsonMutator"/>,
/// <c>PATCH /files/:id</c> bodies that also carry an unknown field (so that none can write), <c>DELETE /files/:id</c> of keys
/// no row has (or by identities that may not), multipart uploads with odd field names, lengths and encodings that also
/// name a missing folder (so that none can store a row), and asset reads with hostile query strings and Range headers.
/// Request lines stay under Kestrel's 8 KB and paths hold no <c>%00</c>: Kestrel refuses those itself (414, 400 without a
/// body) before the server sees them.
/// </summary>
internal sealed class RestCategories(Random random, SeedCorpus corpus, KeyGuard keys)
{
    private const string SeedFile = "cccccccc-0000-4000-8000-000000000001";
    private const string Boundary = "hardening-boundary";

    private static readonly string[] HostileIds =
    [
        HostileInputs.MissingUuid, "not-a-uuid", "", "..%2F..%2Fetc%2Fpasswd", "cccccccc-0000-4000-8000-000000000001%27%20OR%20%271%27=%271",
        new('c', 5_000), "%F0%9F%98%80", "1e400", "-1", "ffffffff-ffff-4fff-8fff-ffffffffffff%2F..", "%E0%80%80", "%ud800",
    ];

    private static readonly string[] Ranges =
    [
        "bytes=0-0", "bytes=-0", "bytes=-1", "bytes=5-1", "bytes=999999999999999999999-", "bytes=0-999999999999999999999", "bytes=abc",
        "items=0-1", "bytes=", "bytes=0-1,2-3,4-5,6-7,8-9", string.Join(",", Enumerable.Range(0, 500).Select(i => $"{i}-{i}")).Insert(0, "bytes="),
        "bytes=-9223372036854775808", "bytes=1e400-", "bytes=0-" + new string('9', 5_000),
    ];

    private static readonly string[] AssetQueries =
    [
        "?width=-1&height=1e400", "?quality=abc&fit=../../x", "?transforms=" + Uri.EscapeDataString(new string('[', 1_500)),
        "?transforms=%5B%5B%22resize%22%2C%7B%22__proto__%22%3A1%7D%5D%5D", "?download&download=1&download=", "?key=%00",
        "?access_token=%27%20OR%20%271%27%3D%271", "?format=%ud800", "?" + new string('a', 4_000) + "=1", "?width=99999999999999999999",
    ];

    private static readonly string[] FieldNames =
    [
        "", "title", "description", "tags", "focal_point_x", "focal_point_y", "charset", "location", "filename_download", "storage",
        "__proto__", "constructor", "tïtle", "TITLE", new('f', 3_000), "title[]", "id", "filesize", "uploaded_by", "\u0000",
    ];

    public IEnumerable<BadRequest> All(JsonMutator mutator)
        => GraphQLJson(mutator, 70).Concat(FilePatches(mutator, 50)).Concat(FileDeletes()).Concat(Uploads(mutator, 70)).Concat(Assets(50))
            .Concat(ItemReads(mutator, 90)).Concat(ItemWrites(mutator, 60));

    /// <summary>Path segments that are no key of any collection (neither a canonical UUID nor decimal digits).</summary>
    private static readonly string[] UnusableIds = ["not-a-uuid", "%F0%9F%98%80", "1e400", "-1", "%20", "cccccccc-0000-4000-8000-000000000001%27%20OR%20%271%27=%271"];

    private static readonly string[] Collections = ["artifact_versions", "tasks", "projects", "artifact_files", "task_artifacts", "nope", "directus_users", "..%2Fusers", "t%C3%A4sks"];

    private static readonly string[] QueryPieces =
    [
        "fields=*.*.*", "fields=files.directus_files_id.*,count(files),year(date_created)", "fields=nope", "fields=files.nope.x", "fields=*,,,",
        "fields[]=id&fields[]=files.*", "fields[a][b]=c", "fields=" + new string('*', 3_000), "fields=count(", "fields=year(id)",
        "filter[[", "filter[a][[b]=1", "filter=notjson", "filter=1", "filter=[]", "filter[version][_gte]=abc", "filter[version][_nope]=1",
        "filter[project_id][name][_eq]=Apollo", "filter[files][_some][sort][_in]=1,2", "filter=" + Uri.EscapeDataString(new string('{', 2_000)),
        "filter=%7B%22version%22%3A%7B%22_eq%22%3A1e400%7D%7D", "filter=%7B%22_or%22%3A5%7D", "sort=-", "sort=nope", "sort[a]=b", "sort=-files.sort",
        "limit=-2", "limit=1.5", "limit=1e400", "limit=abc", "limit=99999999999999999999", "offset=-1", "page=-3", "page=1e9&limit=5",
        "search=%ud800", "search[a]=b", "meta=*", "meta=total_count,nope", "deep=xx", "deep[files][_limit]=abc", "deep[files][_filter][nope][_eq]=1",
        "deep=%7B%22files%22%3A%7B%22_sort%22%3A%5B1%5D%7D%7D", "alias[x]=files&fields=x.id", "alias=%7B%22a%22%3A5%7D", "aggregate=xx",
        "aggregate[nope]=id", "aggregate[sum]=files", "aggregate[count]=*&groupBy=nope", "aggregate[avg]=content&groupBy[]=year(date_created)",
        "groupBy=files", "export=xml", "export=csv&fields=*.*", "export[]=json", new string('a', 4_000) + "=1",
    ];

    /// <summary>Reads of <c>/items</c> and the system routes with hostile query strings: errors or data, never anything else.</summary>
    private IEnumerable<BadRequest> ItemReads(JsonMutator mutator, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var who = i % 4 == 0 ? Identity.NonAdmins[i % Identity.NonAdmins.Count] : Identity.Admin;
            var query = string.Join('&', Enumerable.Range(0, random.Next(1, 4)).Select(_ => QueryPieces[random.Next(QueryPieces.Length)]));
            var mutated = Uri.EscapeDataString(Encoding.UTF8.GetString(mutator.Mutate("""{"_and":[{"version":{"_gte":1}},{"files":{"_some":{"sort":{"_in":[1,2]}}}}]}""")));
            if (i % 7 == 0 && mutated.Length < 2_000)
            {
                query += "&filter=" + mutated;
            }

            if (query.Length > 6_000)
            {
                query = query[..6_000]; // Kestrel refuses request lines past 8 KB itself
            }

            var path = (i % 9) switch
            {
                0 => "/users",
                1 => $"/items/{Collections[random.Next(Collections.Length)]}/{HostileIds[random.Next(HostileIds.Length)]}",
                2 => "/users/me",
                _ => $"/items/{Collections[random.Next(Collections.Length)]}",
            };
            yield return Get("rest-items-read", who, $"{path}?{query}");
        }
    }

    /// <summary>
    /// Writes through <c>/items</c> that cannot succeed: every body carries a field no collection has (also after mutation:
    /// the mutator keeps the root's keys, and replaces one value only), updates and deletes name keys no row has, and the public and bad tokens may write nothing.
    /// </summary>
    private IEnumerable<BadRequest> ItemWrites(JsonMutator mutator, int count)
    {
        string[] bodies =
        [
            """{"title":"t","project_id":"11111111-1111-4111-8111-111111111111","artifacts":{"create":[{"sort":1}],"delete":[1]},"no_such_field":0}""",
            """{"schema_key":"a/b","files":[1,2],"primary_file_id":"cccccccc-0000-4000-8000-000000000001","no_such_field":0}""",
            """{"keys":["ffffffff-ffff-4fff-8fff-ffffffffffff"],"data":{"status":"approved","no_such_field":0}}""",
        ];
        for (var i = 0; i < count; i++)
        {
            var who = i % 5 == 0 ? Identity.NonAdmins[i % Identity.NonAdmins.Count] : Identity.Admin;
            var collection = Collections[random.Next(Collections.Length)];
            var body = mutator.Mutate(bodies[random.Next(bodies.Length)]);
            yield return (i % 4) switch
            {
                0 => Raw("rest-items-write", who, HttpMethod.Post, $"/items/{collection}", body, Json, Expectation.Error),
                1 => Raw("rest-items-write", who, HttpMethod.Patch, $"/items/{collection}/{HostileInputs.MissingUuid}", body, Json, Expectation.Error),
                // Keys no row has: an administrator's update of none of them is an empty list, as in Directus.
                2 => Raw("rest-items-write", who, HttpMethod.Patch, $"/items/{collection}", body, Json, Expectation.ErrorOrData),
                // Deleting a key no row has is no error in Directus (204): administrators send keys no collection can have.
                _ => Raw("rest-items-write", who, HttpMethod.Delete, $"/items/{collection}/{(who.IsAdmin ? UnusableIds[random.Next(UnusableIds.Length)] : HostileInputs.MissingUuid)}", null, null, Expectation.Error),
            };
        }
    }

    private IEnumerable<BadRequest> GraphQLJson(JsonMutator mutator, int count)
    {
        var bases = corpus.Queries.Select(q => (q.Path, Json: BodyOf(q.Query, q.VariablesJson ?? "{\"unused\":[1,{\"a\":\"b\"}]}"))).ToList();
        bases.Add(("/graphql", BodyOf(
            $$"""mutation($d: update_projects_input!) { update_projects_item(id: "{{HostileInputs.MissingUuid}}", data: $d) { id context } }""",
            """{"d":{"name":"x","context":{"a":[1,{"b":2}],"c":"d"},"context_version":4}}""")));
        for (var i = 0; i < count; i++)
        {
            var (path, json) = bases[random.Next(bases.Count)];
            var who = i % 5 == 0 ? Identity.Public : Identity.Admin;
            yield return Raw("json-mutated", who, HttpMethod.Post, path, mutator.Mutate(json), Json, Expectation.ErrorOrData);
        }
    }

    private IEnumerable<BadRequest> FilePatches(JsonMutator mutator, int count)
    {
        const string body = """{"title":"t","description":"d","tags":["a","b"],"metadata":{"a":[1,{"b":2}]},"focal_point_x":1,"no_such_field":0}""";
        for (var i = 0; i < count; i++)
        {
            var who = i % 4 == 0 ? Identity.NonAdmins[i % Identity.NonAdmins.Count] : Identity.Admin;
            var id = i % 3 == 0 ? HostileIds[random.Next(HostileIds.Length)] : SeedFile;
            yield return Raw("rest-patch", who, HttpMethod.Patch, "/files/" + id, mutator.Mutate(body), Json, Expectation.Error);
        }
    }

    private IEnumerable<BadRequest> FileDeletes()
    {
        foreach (var id in HostileIds.Where(id => !keys.MayExist(Uri.UnescapeDataString(id))))
        {
            yield return Raw("rest-delete", Identity.Admin, HttpMethod.Delete, "/files/" + id, null, null, Expectation.Error);
        }

        foreach (var who in Identity.NonAdmins)
        {
            yield return Raw("rest-delete", who, HttpMethod.Delete, "/files/" + SeedFile, null, null, Expectation.Error);
        }
    }

    private IEnumerable<BadRequest> Uploads(JsonMutator mutator, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var who = i % 6 == 0 ? Identity.NonAdmins[i % Identity.NonAdmins.Count] : Identity.Admin;
            var body = new MemoryStream();
            // First the guard: no folder has this key, so the row is refused whatever else the body holds.
            Part(body, "name=\"folder\"", Encoding.UTF8.GetBytes(HostileInputs.MissingUuid));
            for (var f = random.Next(1, 4); f > 0; f--)
            {
                Part(body, $"name=\"{FieldNames[random.Next(FieldNames.Length)]}\"", FieldValue(mutator));
            }

            var fileName = random.Next(4) switch
            {
                0 => "../../etc/passwd",
                1 => new string('n', 2_000) + ".txt",
                2 => "tab\there\u0001.bin",
                _ => "report.txt",
            };
            Part(body, $"name=\"file\"; filename=\"{fileName}\"", "bytes of the file"u8.ToArray());
            if (random.Next(5) != 0)
            {
                body.Write(Encoding.ASCII.GetBytes($"--{Boundary}--\r\n"));
            }

            var type = random.Next(8) == 0 ? "multipart/form-data" : $"multipart/form-data; boundary={Boundary}";
            yield return Raw("rest-upload", who, HttpMethod.Post, "/files", body.ToArray(), type, Expectation.Error);
        }
    }

    private byte[] FieldValue(JsonMutator mutator) => random.Next(9) switch
    {
        0 => Encoding.UTF8.GetBytes(new string('t', random.Next(256, 20_000))),
        1 => [0xC3, 0x28, 0xA0, 0xA1, 0xFF, 0xFE, 0xED, 0xA0, 0x80],
        2 => Encoding.UTF8.GetBytes("\uFEFFtitle with BOM\u0000and NUL"),
        3 => mutator.Mutate("""["a",{"b":["c"]}]"""),
        4 => Encoding.UTF8.GetBytes(new[] { "1e400", "-1e400", "NaN", "Infinity", "-0", "99999999999999999999", "1.5", " 7 " }[random.Next(8)]),
        5 => Encoding.UTF8.GetBytes("null"),
        6 => Encoding.UTF8.GetBytes("a,b,,c, ,\"d\""),
        7 => [],
        _ => Encoding.UTF8.GetBytes("😀 ünïcödé"),
    };

    private static void Part(MemoryStream body, string disposition, byte[] value)
    {
        body.Write(Encoding.UTF8.GetBytes($"--{Boundary}\r\nContent-Disposition: form-data; {disposition}\r\n\r\n"));
        body.Write(value);
        body.Write("\r\n"u8);
    }

    private IEnumerable<BadRequest> Assets(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var who = i % 4 == 0 ? Identity.NonAdmins[i % Identity.NonAdmins.Count] : Identity.Admin;
            var id = i % 5 == 0 ? HostileIds[random.Next(HostileIds.Length)] : SeedFile;
            var request = Get("rest-asset", who, $"/assets/{id}{AssetQueries[random.Next(AssetQueries.Length)]}", Expectation.BytesOrError);
            yield return i % 3 == 0 ? request : request with { Headers = [new("Range", Ranges[random.Next(Ranges.Length)])] };
        }
    }

    private static string BodyOf(string query, string variablesJson) => $"{{\"query\":{Quote(query)},\"variables\":{variablesJson}}}";
}
