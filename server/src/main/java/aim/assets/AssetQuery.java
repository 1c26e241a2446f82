package aim.assets;

import java.util.List;

/**
 * The filters of the asset list: categories (each with everything below it), kinds (empty = every kind
 * the caller may see), a WGS84 bbox (minLon, minLat, maxLon, maxLat), free text, retired and stale
 * assets, and the page (ids after {@code afterId}, at most {@code limit}).
 */
public record AssetQuery(List<String> categories, List<AssetKind> kinds, double[] bbox, String text,
                         boolean includeRetired, Boolean stale, long afterId, int limit) {
}
