/**
 * {@code ./aim bench}: performance benchmarks over a throw-away database ({@code aim_bench}, created
 * fresh for each benchmark and dropped afterwards). Not tests: they print figures, they assert
 * nothing, and {@code ./aim test} never runs them. A new benchmark is a {@link aim.bench.Benchmark}
 * added to the list in {@link aim.bench.BenchmarkRunner}.
 */
package aim.bench;
