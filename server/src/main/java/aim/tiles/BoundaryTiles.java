package aim.tiles;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Boundary tiles already made, by a key holding the boundaries' data version, the set and the tile
 * ({@link TileController}), least recently used first out past {@value #MAX_BYTES} bytes. Boundaries change
 * rarely and a tile of a national ward set costs seconds to make at low zoom (thousands of outlines
 * simplified), while every browser asks for the same few hundred tiles; a new boundary version gives a new
 * key, so no changed outline is ever answered from here.
 */
final class BoundaryTiles {
    /** Most bytes kept (England's wards to zoom 12 are about 30 MB). */
    static final long MAX_BYTES = 64L << 20;

    private long bytes;
    private final Map<String, byte[]> tiles = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
            if (bytes <= MAX_BYTES) return false;
            bytes -= eldest.getValue().length;
            return true;
        }
    };

    byte[] get(String key, Supplier<byte[]> make) {
        synchronized (tiles) {
            byte[] known = tiles.get(key);
            if (known != null) return known;
        }
        byte[] made = make.get(); // outside the lock: tiles are made in parallel, never waiting on each other
        synchronized (tiles) {
            if (tiles.put(key, made) == null) bytes += made.length;
        }
        return made;
    }
}
