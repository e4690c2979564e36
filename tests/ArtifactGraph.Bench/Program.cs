// Benchmarks for ArtifactGraph: figures only, never pass/fail on time. See README.md ("Benchmark") and tests/bench.sh.
using ArtifactGraph.Bench;

return await BenchCommand.Build().Parse(args).InvokeAsync();
