package aim.bench;

import javax.sql.DataSource;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a benchmark works with.
 *
 * @param dataSource a fresh, migrated database of its own (dropped after the benchmark)
 * @param workDir    a temporary directory for generated files (deleted after the benchmark)
 * @param options    command-line options ({@code --rows 100000} → "rows" → "100000")
 * @param log        for progress lines
 */
public record BenchmarkContext(DataSource dataSource, Path workDir, Map<String, String> options, PrintStream log) {

    /** A whole-number option, or {@code fallback}. */
    public long longOption(String name, long fallback) {
        String v = options.get(name);
        if (v == null) return fallback;
        try {
            long n = Long.parseLong(v.replace("_", "").replace(",", ""));
            if (n <= 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number above 0, not '" + v + "'");
        }
    }
}
