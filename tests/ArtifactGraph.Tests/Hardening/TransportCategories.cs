using System.Text;
using static ArtifactGraph.Tests.Hardening.RequestBuilder;

namespace ArtifactGraph.Tests.Hardening;

/// <summary>Requests broken below GraphQL: random bytes, invalid UTF-8, broken JSON, odd JSON shapes, Content-Types, GET garbage, methods.</summary>
internal sealed class TransportCategories(Random random, SeedCorpus corpus)
{
    private const string Valid = "{ tasks(limit: 2) { id title } }";

    private static readonly string[] ContentTypes =
    [
        "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=latin1",
        "application/json; charset=utf-16", "application/json;;;", "APPLICATION/JSON", "application/json+x", "application/jsonx",
        "application/graphql", "application/graphql-response+json", "*/*", "json", "application/xml", "application/json; boundary=\"",
    ];

    public IEnumerable<BadRequest> All()
    {
        var paths = new[] { "/graphql", "/graphql/system" };
        for (var i = 0; i < 60; i++)
        {
            var bytes = new byte[random.Next(0, 3000)];
            random.NextBytes(bytes);
            var type = (i % 4) switch { 0 or 1 => Json, 2 => "application/graphql", _ => null };
            yield return Raw("random-bytes", Identity.Admin, HttpMethod.Post, paths[i % 2], bytes, type, Expectation.Error);
        }

        foreach (var body in InvalidUtf8Bodies())
        {
            yield return Raw("invalid-utf8", Identity.Admin, HttpMethod.Post, "/graphql", body, Json, Expectation.ErrorOrData);
        }

        foreach (var body in LoneSurrogateBodies())
        {
            yield return Raw("lone-surrogate", Identity.Admin, HttpMethod.Post, "/graphql", Encoding.UTF8.GetBytes(body), Json, Expectation.ErrorOrData);
        }

        foreach (var body in BrokenJson())
        {
            yield return Raw("broken-json", Identity.Admin, HttpMethod.Post, "/graphql", Encoding.UTF8.GetBytes(body), Json, Expectation.Error) with { ExpectedStatus = 400 };
        }

        yield return Raw("broken-json", Identity.Admin, HttpMethod.Post, "/graphql", Encoding.Unicode.GetBytes("{\"query\":\"" + Valid + "\"}"), Json, Expectation.Error);
        yield return Raw("broken-json", Identity.Admin, HttpMethod.Post, "/graphql", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("{\"query\":\"" + Valid + "\"}")], Json, Expectation.ErrorOrData);

        foreach (var (body, expect) in JsonShapes())
        {
            yield return Raw("json-shapes", Identity.Admin, HttpMethod.Post, "/graphql", Encoding.UTF8.GetBytes(body), Json, expect);
        }

        foreach (var type in ContentTypes)
        {
            yield return Raw("content-types", Identity.Admin, HttpMethod.Post, "/graphql", Encoding.UTF8.GetBytes("{\"query\":\"" + Valid + "\"}"), type, Expectation.ErrorOrData);
            yield return Raw("content-types", Identity.Admin, HttpMethod.Post, "/graphql", Encoding.UTF8.GetBytes(Valid), type, Expectation.ErrorOrData);
        }

        yield return Raw("content-types", Identity.Admin, HttpMethod.Post, "/graphql", Encoding.UTF8.GetBytes("{\"query\":\"" + Valid + "\"}"), null, Expectation.Error);

        foreach (var query in GetQueries())
        {
            yield return Get("get-garbage", Identity.Admin, "/graphql?" + query);
        }

        foreach (var method in new[] { HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch, new HttpMethod("PROPFIND"), new HttpMethod("X") })
        {
            foreach (var path in paths)
            {
                yield return Raw("methods", Identity.Admin, method, path, Encoding.UTF8.GetBytes("{\"query\":\"" + Valid + "\"}"), Json, Expectation.Error) with { ExpectedStatus = 405 };
            }
        }
    }

    private IEnumerable<byte[]> InvalidUtf8Bodies()
    {
        byte[][] invalid = [[0xFF], [0xFE, 0xFF], [0xC3, 0x28], [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF0, 0x9F, 0x98], [0x80], [0xC3]];
        for (var i = 0; i < 40; i++)
        {
            var document = corpus.Queries[random.Next(corpus.Queries.Count)].Query;
            var bytes = Encoding.UTF8.GetBytes("{\"query\":" + Quote(document) + (i % 3 == 0 ? ",\"variables\":{\"x\":\"\u0001\"}" : "") + "}");

            // Inside the JSON string: between the opening quote of the query and the closing brace.
            var at = random.Next(10, bytes.Length - 2);
            var bad = invalid[random.Next(invalid.Length)];
            yield return [.. bytes[..at], .. bad, .. bytes[at..]];
        }
    }

    private static IEnumerable<string> LoneSurrogateBodies() =>
    [
        "{\"query\":\"{ tasks(search: \\\"\\ud800\\\") { id } }\"}",
        "{\"query\":\"query($s: String) { tasks(search: $s) { id } }\",\"variables\":{\"s\":\"\\udc00x\\ud800\"}}",
        "{\"query\":\"{ tasks { id } }\",\"operationName\":\"\\ud800\"}",
        "{\"query\":\"{ tasks { id } }\",\"variables\":{\"\\ud800\":1}}",
    ];

    private IEnumerable<string> BrokenJson()
    {
        var valid = "{\"query\":\"" + Valid + "\",\"variables\":{\"a\":[1,2,{\"b\":null}]}}";
        for (var i = 0; i < 12; i++)
        {
            yield return valid[..random.Next(0, valid.Length - 1)];
        }

        yield return valid + "x";
        yield return valid + "}";
        yield return "{'query':'" + Valid + "'}";
        yield return "{query:\"" + Valid + "\"}";
        yield return "{\"query\":\"" + Valid + "\",}";
        yield return "{\"query\":\"" + Valid + "\" /* c */}";
        yield return "{\"query\":\"" + Valid + "\",\"variables\":{\"n\":NaN}}";
        yield return "{\"query\":\"" + Valid + "\",\"variables\":{\"n\":Infinity}}";
        yield return "{\"query\":\"" + Valid + "\",\"variables\":{\"n\":01}}";
        yield return "{\"query\":\"" + Valid + "\",\"variables\":{\"n\":\"\\x41\"}}";
        yield return "{\"query\":\"" + Valid + "\",\"variables\":{\"n\":\"a\nb\"}}";
        yield return "{\"query\":\"" + Valid + "\",\"variables\":{\"n\":" + new string('[', 100) + new string(']', 100) + "}}";
        yield return "{\"query\":\"" + Valid + "\",\"variables\":" + new string('{', 70) + new string('}', 70) + "}";
        yield return new string('[', 10_000);
        yield return "\u0000";
        yield return "{\"query\":\"" + Valid + "\"}\u0000";
    }

    private static IEnumerable<(string Body, Expectation Expect)> JsonShapes()
    {
        var e = Expectation.Error;
        var any = Expectation.ErrorOrData;
        return
        [
            ("{}", e), ("[]", e), ("null", e), ("true", e), ("1", e), ("\"" + Valid + "\"", e), ("[{\"query\":\"" + Valid + "\"}]", e),
            ("{\"query\":null}", e), ("{\"query\":1}", e), ("{\"query\":[\"" + Valid + "\"]}", e), ("{\"query\":{\"query\":\"" + Valid + "\"}}", e),
            ("{\"query\":\"\"}", e), ("{\"query\":\" \"}", e), ("{\"Query\":\"" + Valid + "\"}", e), ("{\"query \":\"" + Valid + "\"}", e),
            ("{\"query\":\"" + Valid + "\",\"variables\":[]}", any), ("{\"query\":\"" + Valid + "\",\"variables\":1}", any),
            ("{\"query\":\"" + Valid + "\",\"variables\":true}", any), ("{\"query\":\"" + Valid + "\",\"variables\":\"[1\"}", any),
            ("{\"query\":\"" + Valid + "\",\"variables\":\"1\"}", any), ("{\"query\":\"" + Valid + "\",\"variables\":\"{\\\"a\\\":1}\"}", any),
            ("{\"query\":\"" + Valid + "\",\"operationName\":5}", any), ("{\"query\":\"" + Valid + "\",\"operationName\":{}}", any),
            ("{\"query\":\"" + Valid + "\",\"operationName\":\"\"}", any), ("{\"query\":\"" + Valid + "\",\"operationName\":\"nope\"}", e),
            ("{\"query\":\"query A { tasks { id } } query B { projects { id } }\"}", e),
            ("{\"query\":\"query A { tasks { id } } query B { projects { id } }\",\"operationName\":\"C\"}", e),
            ("{\"query\":\"query A { tasks { id } } query A { projects { id } }\",\"operationName\":\"A\"}", e),
            ("{\"query\":\"query A { tasks { id } } mutation B { delete_tasks_item(id: \\\"" + HostileInputs.MissingUuid + "\\\") { id } }\",\"operationName\":\"' OR 1=1 --\"}", e),
            ("{\"query\":\"subscription { tasks_mutated { key } }\"}", any), ("{\"query\":\"fragment F on Query { __typename }\"}", e),
            ("{\"query\":\"" + Valid + "\",\"query\":\"{ nope }\"}", any), ("{\"query\":\"" + Valid + "\",\"extensions\":{\"persistedQuery\":{\"version\":1,\"sha256Hash\":\"x\"}}}", any),
            ("{\"query\":\"" + Valid + "\",\"variables\":null,\"operationName\":null,\"extra\":[1,{\"x\":null}]}", any),
            ("{\"query\":\"" + Valid + "\",\"access_token\":\"oracle-admin-token\"}", any),
        ];
    }

    private IEnumerable<string> GetQueries()
    {
        var valid = Uri.EscapeDataString(Valid);
        string[] fixedOnes =
        [
            "", "query=", "query", "query=%", "query=%zz", "query=%FF%FE", "query=%00", "query=%C0%AF", "query=" + valid + "&query=" + valid,
            "query=" + valid + "&variables=%7Bx", "query=" + valid + "&variables=[1]", "query=" + valid + "&variables=1", "query=" + valid + "&variables=%22x%22",
            "query=" + valid + "&variables=" + Uri.EscapeDataString(new string('[', 70) + new string(']', 70)), "query=" + valid + "&operationName=nope",
            "query=" + Uri.EscapeDataString("mutation { delete_tasks_item(id: \"" + HostileInputs.MissingUuid + "\") { id } }"),
            "query=" + Uri.EscapeDataString("query A { tasks { id } } mutation B { delete_tasks_item(id: \"" + HostileInputs.MissingUuid + "\") { id } }") + "&operationName=B",
            "query=" + Uri.EscapeDataString("query A { tasks { id } } query B { projects { id } }"), "query=" + valid + "&access_token=" + Identity.AdminToken,
            "query=" + valid + "&access_token=", "query=" + valid + "&access_token[x]=1", "query[]=" + valid, "query[a]=1&query[b]=2", "query=" + valid + "&" + new string('&', 2000),
            "query=" + valid + "&x=" + new string('%', 3000), "query=" + Uri.EscapeDataString(new string('{', 2000)),
        ];
        foreach (var query in fixedOnes)
        {
            yield return query;
        }

        for (var i = 0; i < 25; i++)
        {
            var bytes = new byte[random.Next(1, 1500)];
            random.NextBytes(bytes);
            yield return "query=" + string.Concat(bytes.Select(b => "%" + b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));
        }

        for (var i = 0; i < 25; i++)
        {
            var document = corpus.Queries[random.Next(corpus.Queries.Count)];
            var query = "query=" + Uri.EscapeDataString(new QueryMutator(random).Mutate(WithoutLoneSurrogates(document.Query), writeSafe: false));
            if (document.VariablesJson is { } variables)
            {
                query += "&variables=" + Uri.EscapeDataString(variables);
            }

            if (query.Length < 7000)
            {
                yield return query;
            }
        }
    }
}
