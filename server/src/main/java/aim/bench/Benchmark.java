package aim.bench;

import java.util.List;

/** One benchmark of {@code ./aim bench}: runs over a fresh, migrated database and returns its timed steps. */
public interface Benchmark {
    /** A short name, used to choose benchmarks on the command line ({@code ./aim bench incident-import}). */
    String name();

    List<BenchmarkResult> run(BenchmarkContext context) throws Exception;
}
