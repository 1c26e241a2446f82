package aim.tiles;

import aim.hotspots.HotCells;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.util.function.Supplier;

/**
 * The hot cells of the last few hotspot-tile requests, by a key that holds the data versions, the
 * parameters and the caller ({@link TileController}), so the tiles of one map view share one Gi*
 * computation and a change of data (a new version) is never answered from here.
 */
final class RecentHotCells {
    private static final int SIZE = 16;

    private final Cache<String, HotCells> recent = Caffeine.newBuilder().maximumSize(SIZE).build();

    HotCells get(String key, Supplier<HotCells> compute) {
        HotCells known = recent.getIfPresent(key);
        if (known != null) return known;
        HotCells computed = compute.get(); // outside any lock: two tiles at once may both compute, never wait on each other
        recent.put(key, computed);
        return computed;
    }
}
