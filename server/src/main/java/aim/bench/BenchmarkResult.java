package aim.bench;

/** One timed step of a benchmark: how many rows it handled in how many seconds (wall clock). */
public record BenchmarkResult(String benchmark, String step, long rows, double seconds) {
    public double rowsPerSecond() {
        return seconds > 0 ? rows / seconds : 0;
    }
}
