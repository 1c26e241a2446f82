package aim.publicdata;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The last {@value #SIZE} public tables computed, by a key that holds the data versions they were read at
 * and the request (the ETag's key), so the same question asked again while the data is unchanged is
 * answered without counting again. A key with new data versions never meets an old table.
 */
final class RecentTables {
    static final int SIZE = 64;

    private final Map<String, Object> tables = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Object> eldest) {
            return size() > SIZE;
        }
    };

    /** The table of {@code key}, computed by {@code compute} when it is not among the recent ones (not under the lock). */
    @SuppressWarnings("unchecked")
    <T> T get(String key, Supplier<T> compute) {
        synchronized (tables) {
            Object known = tables.get(key);
            if (known != null) return (T) known;
        }
        T table = compute.get();
        synchronized (tables) {
            tables.put(key, table);
        }
        return table;
    }
}
