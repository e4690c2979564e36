// Benchmarks for ArtifactGraph: figures only, never pass/fail on time. See README.md.
Console.WriteLine("ArtifactGraph.Bench: not implemented yet");
return 0;
