package aim.incidents;

import aim.core.DomainException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which column of a council's CSV holds which incident field, and optionally how the council's
 * own values translate to ours. Written inline as
 * {@code category=Type,occurred=Date Reported,easting=X,northing=Y,id=Ref,description=Notes}, or
 * saved as a JSON object with the same keys plus translation tables:
 * <pre>{"id": "Ref", "category": "Type", "occurred": "Date Reported", "lon": "Lng", "lat": "Lat",
 *  "category-values": {"Noise nuisance": "asb-noise", "Dumped rubbish": "fly-tipping"}}</pre>
 *
 * <p>Fields: {@code id} (the council's reference, required), {@code category} (required),
 * {@code occurred} (required), {@code lon}+{@code lat} (WGS84 degrees) or
 * {@code easting}+{@code northing} (EPSG:27700 metres), {@code description}, {@code location},
 * {@code ward}, {@code status}, {@code fly_size}, {@code fly_waste_type}, {@code fly_land_type}.
 * Translation tables ({@code <field>-values}) exist for category, status and the fly-tipping
 * fields; their keys match case-insensitively. {@code -} and {@code _} are interchangeable in keys.
 *
 * @param columns field → CSV column name
 * @param values  field → (council value, lower case → our code)
 */
public record CouncilColumnMapping(Map<String, String> columns, Map<String, Map<String, String>> values) {
    public static final List<String> FIELDS = List.of("id", "category", "occurred", "lon", "lat", "easting", "northing",
            "description", "location", "ward", "status", "fly_size", "fly_waste_type", "fly_land_type");
    public static final List<String> TRANSLATED = List.of("category", "status", "fly_size", "fly_waste_type", "fly_land_type");
    private static final List<String> REQUIRED = List.of("id", "category", "occurred");
    private static final String FIELD = "map";

    public CouncilColumnMapping {
        columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        for (String required : REQUIRED) {
            if (!columns.containsKey(required)) {
                throw DomainException.invalid(FIELD, "the column mapping needs " + required + "=COLUMN (it has "
                        + String.join(", ", columns.keySet()) + ")");
            }
        }
        boolean lonLat = columns.containsKey("lon") || columns.containsKey("lat");
        boolean grid = columns.containsKey("easting") || columns.containsKey("northing");
        if (lonLat && !(columns.containsKey("lon") && columns.containsKey("lat"))) {
            throw DomainException.invalid(FIELD, "the column mapping needs both lon and lat");
        }
        if (grid && !(columns.containsKey("easting") && columns.containsKey("northing"))) {
            throw DomainException.invalid(FIELD, "the column mapping needs both easting and northing");
        }
        if (lonLat && grid) {
            throw DomainException.invalid(FIELD, "map either lon and lat (WGS84) or easting and northing (British National Grid), not both");
        }
    }

    /** The mapping in {@code text}: a JSON object (starting with '{') or {@code field=Column,field=Column…}. */
    public static CouncilColumnMapping parse(String text) {
        if (text == null || text.isBlank()) {
            throw DomainException.invalid(FIELD, "a column mapping is required, e.g. id=Ref,category=Type,occurred=Date,easting=X,northing=Y");
        }
        if (text.strip().startsWith("{")) return fromJson(text);
        Map<String, String> columns = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            if (pair.isBlank()) continue;
            int eq = pair.indexOf('=');
            if (eq < 0) throw DomainException.invalid(FIELD, "'" + pair.strip() + "' in the column mapping is not field=Column");
            put(columns, pair.substring(0, eq), pair.substring(eq + 1));
        }
        return new CouncilColumnMapping(columns, Map.of());
    }

    /** A saved mapping file (JSON). */
    public static CouncilColumnMapping read(Path file) throws IOException {
        return fromJson(Files.readString(file));
    }

    /** The CSV column of {@code field}, or null when it is not mapped. */
    public String column(String field) {
        return columns.get(field);
    }

    /** Our code for the council's {@code value} of {@code field} from the translation table, or null. */
    public String translate(String field, String value) {
        Map<String, String> table = values.get(field);
        return table == null ? null : table.get(value.strip().toLowerCase(Locale.ROOT));
    }

    private static CouncilColumnMapping fromJson(String text) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw DomainException.invalid(FIELD, "the column mapping is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) throw DomainException.invalid(FIELD, "the column mapping must be a JSON object");
        Map<String, String> columns = new LinkedHashMap<>();
        Map<String, Map<String, String>> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            var entry = it.next();
            String key = normalise(entry.getKey());
            if (key.endsWith("_values")) {
                String field = key.substring(0, key.length() - "_values".length());
                if (!TRANSLATED.contains(field)) {
                    throw DomainException.invalid(FIELD, "'" + entry.getKey() + "': translation tables exist for "
                            + String.join(", ", TRANSLATED));
                }
                if (!entry.getValue().isObject()) {
                    throw DomainException.invalid(FIELD, "'" + entry.getKey() + "' must be an object of council value → code");
                }
                Map<String, String> table = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> v = entry.getValue().fields(); v.hasNext(); ) {
                    var t = v.next();
                    if (!t.getValue().isTextual()) {
                        throw DomainException.invalid(FIELD, "'" + entry.getKey() + "': the code for '" + t.getKey() + "' must be text");
                    }
                    table.put(t.getKey().strip().toLowerCase(Locale.ROOT), t.getValue().asText().strip());
                }
                values.put(field, table);
            } else {
                if (!entry.getValue().isTextual()) {
                    throw DomainException.invalid(FIELD, "'" + entry.getKey() + "' must name a column (text)");
                }
                put(columns, entry.getKey(), entry.getValue().asText());
            }
        }
        return new CouncilColumnMapping(columns, values);
    }

    private static void put(Map<String, String> columns, String rawField, String rawColumn) {
        String field = normalise(rawField);
        String column = rawColumn.strip();
        if (!FIELDS.contains(field)) {
            throw DomainException.invalid(FIELD, "unknown field '" + rawField.strip() + "' in the column mapping; the fields are "
                    + String.join(", ", FIELDS));
        }
        if (column.isEmpty()) throw DomainException.invalid(FIELD, "no column given for " + field);
        if (columns.put(field, column) != null) throw DomainException.invalid(FIELD, field + " is mapped twice");
    }

    private static String normalise(String field) {
        return field.strip().toLowerCase(Locale.ROOT).replace('-', '_');
    }
}
