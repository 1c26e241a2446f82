package aim.tiles;

import aim.hotspots.HotCells;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The hot cells of the last few hotspot-tile requests, by a key that holds the data versions, the
 * parameters and the caller ({@link TileController}), so the tiles of one map view share one Gi*
 * computation and a change of data (a new version) is never answered from here.
 */
final class RecentHotCells {
    private static final int SIZE = 16;

    private final Map<String, HotCells> recent = new LinkedHashMap<>(SIZE, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, HotCells> eldest) {
            return size() > SIZE;
        }
    };

    HotCells get(String key, Supplier<HotCells> compute) {
        synchronized (recent) {
            HotCells known = recent.get(key);
            if (known != null) return known;
        }
        HotCells computed = compute.get(); // outside the lock: two tiles at once may both compute, never wait on each other
        synchronized (recent) {
            recent.put(key, computed);
        }
        return computed;
    }
}
