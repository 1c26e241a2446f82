package aim.publicdata;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.util.function.Supplier;

/**
 * The last {@value #SIZE} or so public tables computed, by a key that holds the data versions they were read at
 * and the request (the ETag's key), so the same question asked again while the data is unchanged is
 * answered without counting again. A key with new data versions never meets an old table.
 */
final class RecentTables {
    static final int SIZE = 64;

    private final Cache<String, Object> tables = Caffeine.newBuilder().maximumSize(SIZE).build();

    /** The table of {@code key}, computed by {@code compute} when it is not among the recent ones (not under a lock). */
    @SuppressWarnings("unchecked")
    <T> T get(String key, Supplier<T> compute) {
        Object known = tables.getIfPresent(key);
        if (known != null) return (T) known;
        T table = compute.get();
        tables.put(key, table);
        return table;
    }
}
