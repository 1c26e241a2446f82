package aim.tiles;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.util.function.Supplier;

/**
 * Boundary tiles already made, by a key holding the boundaries' data version, the set and the tile
 * ({@link TileController}), at most {@value #MAX_BYTES} bytes (Caffeine evicts the least useful first).
 * Boundaries change rarely and a tile of a national ward set costs seconds to make at low zoom (thousands
 * of outlines simplified), while every browser asks for the same few hundred tiles; a new boundary version
 * gives a new key, so no changed outline is ever answered from here.
 */
final class BoundaryTiles {
    /** Most bytes kept (England's wards to zoom 12 are about 30 MB). */
    static final long MAX_BYTES = 64L << 20;

    private final Cache<String, byte[]> tiles = Caffeine.newBuilder()
            .maximumWeight(MAX_BYTES)
            .weigher((String key, byte[] tile) -> tile.length)
            .build();

    byte[] get(String key, Supplier<byte[]> make) {
        byte[] known = tiles.getIfPresent(key);
        if (known != null) return known;
        byte[] made = make.get(); // outside any lock: tiles are made in parallel, never waiting on each other
        tiles.put(key, made);
        return made;
    }
}
