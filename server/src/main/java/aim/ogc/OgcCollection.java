package aim.ogc;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The collections AIM publishes over OGC API – Features: their ids (no dots), titles, who may read them,
 * the fields of their features (name → JSON Schema type) and which of those are queryable by equality
 * ({@code ?category=burglary}). Feature ids are whole numbers, except hotspot cells ({@code i_j}).
 */
public enum OgcCollection {
    WARDS("wards", "Wards", "Electoral wards of the current ward boundary set (or the set named by version).",
            false, false, BoundaryFields.FIELDS, List.of("code", "name")),
    NEIGHBOURHOODS("neighbourhoods", "Neighbourhoods", "Neighbourhoods (named groups of wards) of the current set (or version).",
            false, false, BoundaryFields.FIELDS, List.of("code", "name")),
    ZONES("zones", "Zones", "Other area layers (e.g. town centres, parks): every current zone set (or the one named by version).",
            false, false, BoundaryFields.FIELDS, List.of("code", "name", "version")),
    LSOA("lsoa", "Lower layer super output areas", "LSOAs of the current LSOA set (or version); empty when none is loaded.",
            false, false, BoundaryFields.FIELDS, List.of("code", "name")),
    ASSETS("assets", "Community assets", "Places and services of the community asset register (not retired); people never.",
            true, false, fields("id", "integer", "uid", "string", "kind", "string", "category", "string", "category_label", "string",
                    "name", "string", "description", "string", "organisation", "string", "venue", "string", "address", "string",
                    "url", "string", "email", "string", "phone", "string", "status", "string", "fees", "string",
                    "referral", "string", "last_checked", "date"),
            List.of("kind", "category", "status")),
    INCIDENTS("incidents", "Incidents", "Located incidents (crime, ASB, environmental) as the caller's role may see them: "
            + "sensitive categories at the centre of their 500 m British National Grid square, personal fields withheld, "
            + "exactly as in the JSON API. datetime filters occurred_at (police.uk rows are dated the first of their month).",
            true, true, fields("id", "integer", "source", "string", "category", "string", "category_label", "string",
                    "sensitive", "boolean", "occurred_at", "date-time", "occurred_precision", "string", "location_precision", "string",
                    "accuracy_m", "number", "location_text", "string", "area_code", "string", "status", "string",
                    "outcome", "string", "recorded_at", "date-time", "fly_size", "string", "fly_waste_type", "string",
                    "fly_land_type", "string", "description", "string", "reporter_name", "string", "reporter_contact", "string"),
            List.of("category", "source", "status")),
    HOTSPOTS("hotspots", "Hotspots (Gi*, last whole quarter)", "Getis-Ord Gi* hot and cold spots (with false discovery rate "
            + "correction) on 250 m British National Grid squares over the borough, for every incident of the last whole "
            + "financial quarter before today, computed by AIM's hotspot engine with the caller's redaction. Cells with "
            + "incidents or a significant z score; bin is -3..3 (99/95/90 % confidence, cold to hot).",
            true, false, fields("cell", "string", "i", "integer", "j", "integer", "count", "integer", "z", "number", "p", "number",
                    "bin", "integer", "quarter", "string", "from", "date", "to", "date"),
            List.of()),
    PROBLEMS("problems", "Problems", "The AIM group's problems (OSARA) with their places; visible_actions counts only the "
            + "actions the caller may see (ActionVisibility).",
            true, false, fields("id", "integer", "title", "string", "stage", "string", "owner", "string", "categories", "string",
                    "place_label", "string", "lead_organisation", "string", "start_date", "date", "review_date", "date",
                    "closed_on", "date", "visible_actions", "integer"),
            List.of("stage", "owner"));

    private final String id;
    private final String title;
    private final String description;
    private final boolean signedIn;
    private final boolean temporal;
    private final Map<String, String> fields;
    private final List<String> queryables;

    OgcCollection(String id, String title, String description, boolean signedIn, boolean temporal, Map<String, String> fields,
                  List<String> queryables) {
        this.id = id;
        this.title = title;
        this.description = description;
        this.signedIn = signedIn;
        this.temporal = temporal;
        this.fields = fields;
        this.queryables = queryables;
    }

    public static Optional<OgcCollection> byId(String id) {
        for (OgcCollection c : values()) if (c.id.equals(id)) return Optional.of(c);
        return Optional.empty();
    }

    public String id() {
        return id;
    }

    public String title() {
        return title;
    }

    public String description() {
        return description;
    }

    /** Whether only signed-in callers may read it (and see it in the list). */
    public boolean signedIn() {
        return signedIn;
    }

    /** Whether {@code datetime} filters it (incidents, by occurred_at); other collections ignore it. */
    public boolean temporal() {
        return temporal;
    }

    /** Every field of its features, in order: name → JSON Schema type ({@code date}, {@code date-time} are string formats). */
    public Map<String, String> fields() {
        return fields;
    }

    /** The fields a request may filter on by equality. */
    public List<String> queryables() {
        return queryables;
    }

    /** Whether it is one of the boundary levels (and so takes {@code version}). */
    public boolean boundaries() {
        return this == WARDS || this == NEIGHBOURHOODS || this == ZONES || this == LSOA;
    }

    /** Whether its feature ids are whole numbers. */
    public boolean numericIds() {
        return this != HOTSPOTS;
    }

    /** The data versions ({@link aim.db.DataVersions}) its answers depend on. */
    public String[] dataKinds() {
        return switch (this) {
            case ASSETS -> new String[]{"assets"};
            case INCIDENTS -> new String[]{"incidents"};
            case HOTSPOTS -> new String[]{"incidents", "boundaries"};
            case PROBLEMS -> new String[]{"problems"};
            default -> new String[]{"boundaries"};
        };
    }

    static Map<String, String> fields(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int k = 0; k < pairs.length; k += 2) m.put(pairs[k], pairs[k + 1]);
        return java.util.Collections.unmodifiableMap(m);
    }

    private static final class BoundaryFields {
        static final Map<String, String> FIELDS = fields("code", "string", "name", "string", "level", "string", "version", "string",
                "area_m2", "number");
    }
}
