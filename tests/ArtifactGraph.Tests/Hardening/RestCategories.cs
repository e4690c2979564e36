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
        => GraphQLJson(mutator, 70).Concat(FilePatches(mutator, 50)).Concat(FileDeletes()).Concat(Uploads(mutator, 70)).Concat(Assets(50));

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
