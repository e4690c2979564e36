using System.Net;
using static ArtifactGraph.Tests.Http.TransportClient;

namespace ArtifactGraph.Tests.Http;

public sealed class ValidationMessageTests(TransportFactory factory) : IClassFixture<TransportFactory>
{
    private async Task AssertValidation(string query, string innerErrors)
    {
        var (status, body) = await factory.Admin().PostAsync(query);
        Assert.Equal(Validation(innerErrors), body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    [Fact]
    public Task UnknownField_onQuery_caseShape104()
        => AssertValidation("{ nope { id } }",
            """[{"message":"Cannot query field \"nope\" on type \"Query\".","locations":[{"line":1,"column":3}]}]""");

    [Fact]
    public Task UnknownField_closeToExisting_suggestsLikeGraphqlJs()
        => AssertValidation("{ task }",
            """[{"message":"Cannot query field \"task\" on type \"Query\". Did you mean \"tasks\"?","locations":[{"line":1,"column":3}]}]""");

    [Fact]
    public Task UnknownField_manyCandidates_listsWithOr()
        => AssertValidation("{ hell }",
            """[{"message":"Cannot query field \"hell\" on type \"Query\". Did you mean \"hello\"?","locations":[{"line":1,"column":3}]}]""");

    [Fact]
    public Task UnknownArgument_onField_namesParentTypeAndField()
        => AssertValidation("{ tasks(x: 1) }",
            """[{"message":"Unknown argument \"x\" on field \"Query.tasks\".","locations":[{"line":1,"column":9}]}]""");

    [Fact]
    public Task WrongLiteralType_intGivenString_caseShape106()
        => AssertValidation("{ tasks(limit: \"ten\") }",
            """[{"message":"Int cannot represent non-integer value: \"ten\"","locations":[{"line":1,"column":16}]}]""");

    [Fact]
    public Task WrongLiteralType_stringGivenInt_stringMessage()
        => AssertValidation("{ echo(text: 5) }",
            """[{"message":"String cannot represent a non string value: 5","locations":[{"line":1,"column":14}]}]""");

    [Fact]
    public Task InputObject_unknownField_caseShape107()
        => AssertValidation("{ tasks(filter: { status: { _foo: 1 } }) }",
            """[{"message":"Field \"_foo\" is not defined by type \"string_filter_operators\".","locations":[{"line":1,"column":29}]}]""");

    [Fact]
    public Task InputObject_missingRequiredField_caseShape080()
        => AssertValidation("mutation { create_projects_item(data: { id: \"99999999-0000-4000-8000-000000000001\", name: \"Temp project\" }) }",
            """[{"message":"Field \"create_projects_input.context_version\" of required type \"Int!\" was not provided.","locations":[{"line":1,"column":39}]}]""");

    [Fact]
    public Task MissingRequiredArgument_reportsFieldArgumentAndType()
        => AssertValidation("{ tasks_by_id }",
            """[{"message":"Field \"tasks_by_id\" argument \"id\" of type \"ID!\" is required, but it was not provided.","locations":[{"line":1,"column":3}]}]""");

    [Fact]
    public Task UnknownType_inVariable_reported()
        => AssertValidation("query Q($x: Strin) { echo(text: $x) }",
            """[{"message":"Unknown type \"Strin\". Did you mean \"String\"?","locations":[{"line":1,"column":13}]}]""");

    [Fact]
    public Task UnusedVariable_anonymousOperation_reported()
        => AssertValidation("query ($x: String) { hello }",
            """[{"message":"Variable \"$x\" is never used.","locations":[{"line":1,"column":8}]}]""");

    [Fact]
    public Task UndefinedVariable_anonymousOperation_reportedWithOperationLocation()
        => AssertValidation("{ echo(text: $x) }",
            """[{"message":"Variable \"$x\" is not defined.","locations":[{"line":1,"column":14},{"line":1,"column":1}]}]""");

    [Fact]
    public Task UnknownFragment_reported()
        => AssertValidation("{ ...F }",
            """[{"message":"Unknown fragment \"F\".","locations":[{"line":1,"column":6}]}]""");

    [Fact]
    public Task UnusedFragment_reported()
        => AssertValidation("{ hello } fragment F on Query { hello }",
            """[{"message":"Fragment \"F\" is never used.","locations":[{"line":1,"column":11}]}]""");

    [Fact]
    public Task SyntaxError_truncatedDocument_caseShape112()
        => AssertValidation("{ projects { id ",
            """[{"message":"Syntax Error: Expected Name, found <EOF>.","locations":[{"line":1,"column":17}]}]""");

    [Fact]
    public Task SyntaxError_unexpectedPunctuator_quoted()
        => AssertValidation("{ a } }",
            """[{"message":"Syntax Error: Unexpected \"}\".","locations":[{"line":1,"column":7}]}]""");

    [Fact]
    public Task TokenLimit_documentOverLimit_abortsParsing()
    {
        var query = "{ " + string.Join(" ", Enumerable.Repeat("hello", 5001)) + " }";
        return AssertValidation(query,
            """[{"message":"Syntax Error: Document contains more than 5000 tokens. Parsing aborted.","locations":[{"line":1,"column":"""
            + (3 + (4999 * 6)) + "}]}]");
    }
}
