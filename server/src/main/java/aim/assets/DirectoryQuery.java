package aim.assets;

import java.util.List;

/**
 * A directory search: free text, categories (with everything below them), kinds (empty = every kind the
 * caller may see), an optional point {@code near} (WGS84 lon, lat) with a {@code radius} in metres, and an
 * optional ward of the ward set {@code wardSetId} (assets inside it, and services whose service area
 * lists it).
 */
public record DirectoryQuery(String text, List<String> categories, List<AssetKind> kinds, double[] near, Double radius,
                             String ward, Long wardSetId, int limit) {
}
