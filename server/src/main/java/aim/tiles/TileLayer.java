package aim.tiles;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The layers served as vector tiles. Each tile holds one MVT layer of the same name. {@code fields}
 * are the feature properties (TileJSON {@code vector_layers}: name → type, in words).
 */
public enum TileLayer {
    WARDS("wards", false, "The current wards (or those of ?version=)",
            Map.of("code", "String", "name", "String", "version", "String")),
    NEIGHBOURHOODS("neighbourhoods", false, "The current neighbourhoods (or those of ?version=, a ward version)",
            Map.of("code", "String", "name", "String", "version", "String")),
    INCIDENTS("incidents", true, "Incidents as the caller may see them (Redaction): below zoom "
            + TileRepository.POINTS_ZOOM + " counts per British National Grid square (kind=cell), from it one point each (kind=point)",
            fields("kind", "String", "id", "Number", "category", "String", "source", "String", "occurred_at", "String",
                    "occurred_precision", "String", "location_precision", "String", "i", "Number", "j", "Number", "count", "Number",
                    "cell_m", "Number")),
    HOTSPOTS("hotspots", true, "Getis-Ord Gi* hot cells (bin 2 or 3: hot at 95% or 99% confidence, FDR-corrected) on square cells",
            fields("i", "Number", "j", "Number", "incidents", "Number", "gi_z", "Number", "bin", "Number", "cell_m", "Number"));

    /** The layer's name, in URLs and as the MVT layer's name. */
    public final String id;
    /** Whether the layer needs a signed-in caller (and its tiles depend on the caller). */
    public final boolean signedIn;
    public final String description;
    public final Map<String, String> fields;

    TileLayer(String id, boolean signedIn, String description, Map<String, String> fields) {
        this.id = id;
        this.signedIn = signedIn;
        this.description = description;
        this.fields = fields;
    }

    private static Map<String, String> fields(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int k = 0; k < pairs.length; k += 2) m.put(pairs[k], pairs[k + 1]);
        return m;
    }

    public static Optional<TileLayer> of(String id) {
        for (TileLayer layer : values()) if (layer.id.equals(id)) return Optional.of(layer);
        return Optional.empty();
    }
}
