package aim.bench;

import aim.db.DatabaseUrl;
import aim.db.PrivateCluster;

import javax.sql.DataSource;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a benchmark works with.
 *
 * @param dataSource a fresh, migrated database of its own (dropped after the benchmark)
 * @param workDir    a temporary directory for generated files (deleted after the benchmark)
 * @param options    command-line options ({@code --rows 100000} → "rows" → "100000"; a switch such as
 *                   {@code --national} → "national" → "true")
 * @param log        for progress lines
 * @param database   where {@code dataSource} connects (for more pools of the same database), or null
 * @param cluster    the private cluster the database is in, or null (a configured AIM_DATABASE_URL)
 */
public record BenchmarkContext(DataSource dataSource, Path workDir, Map<String, String> options, PrintStream log,
                               DatabaseUrl database, PrivateCluster cluster) {

    public BenchmarkContext(DataSource dataSource, Path workDir, Map<String, String> options, PrintStream log) {
        this(dataSource, workDir, options, log, null, null);
    }

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

    /** Whether the switch {@code --name} was given. */
    public boolean flag(String name) {
        return "true".equals(options.get(name));
    }
}
