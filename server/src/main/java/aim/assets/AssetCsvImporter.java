package aim.assets;

import aim.core.DomainException;
import aim.core.Issue;
import aim.accounts.User;
import aim.boundaries.BoundarySet;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.PrecisionModel;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKBWriter;
import org.locationtech.jts.io.WKTReader;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Imports places (and services, or people for admins) from a CSV file with a header row. Each row's
 * geometry comes from the first of: a {@code WKT} column (POINT, POLYGON or MULTIPOLYGON in EPSG:27700),
 * {@code easting}/{@code northing} (EPSG:27700 metres), or {@code lon}/{@code lat} (WGS84 degrees). Good rows
 * are kept and each bad row is reported with its line number (the header is line 1): unreadable or
 * invalid geometry (with JTS's reason and location), unknown category, and rows outside the council area
 * (the union of the current ward set), which are rejected with "outside the council area". A row without a
 * name is kept under its category's label with a warning. Rows with a UUID in {@code uid} (or {@code id})
 * update the asset with that uid, so re-importing a file changes nothing twice. One transaction.
 */
public final class AssetCsvImporter {
    private static final int BATCH = 500;
    /** British National Grid's extent, a little widened: anything else is not EPSG:27700 metres. */
    private static final Envelope BNG = new Envelope(-10_000, 710_000, -10_000, 1_300_000);
    private static final GeometryFactory BNG_FACTORY = new GeometryFactory(new PrecisionModel(), 27700);
    private static final GeometryFactory WGS84_FACTORY = new GeometryFactory(new PrecisionModel(), 4326);

    static final Map<String, List<String>> COLUMNS = columns();

    private static Map<String, List<String>> columns() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("name", List.of("name", "distinctive_name", "asset_name", "title"));
        m.put("category", List.of("category", "category_code"));
        m.put("kind", List.of("kind"));
        m.put("description", List.of("description"));
        m.put("organisation", List.of("organisation", "organization"));
        m.put("url", List.of("url", "website"));
        m.put("email", List.of("email"));
        m.put("phone", List.of("phone", "telephone"));
        m.put("address_1", List.of("address_1", "address"));
        m.put("city", List.of("city", "town"));
        m.put("postal_code", List.of("postal_code", "postcode"));
        m.put("last_checked", List.of("last_checked"));
        m.put("uid", List.of("uid", "id"));
        m.put("wkt", List.of("wkt", "geometry_wkt", "geom_wkt"));
        m.put("easting", List.of("easting"));
        m.put("northing", List.of("northing"));
        m.put("lon", List.of("lon", "lng", "longitude"));
        m.put("lat", List.of("lat", "latitude"));
        return m;
    }

    /**
     * @param defaultCategory category of rows without a {@code category} column or value (e.g. "library")
     * @param defaultKind     kind of rows without a {@code kind} column or value (default place)
     * @param source          recorded as each asset's source (e.g. the file name)
     */
    public record Options(String defaultCategory, AssetKind defaultKind, String source) {
    }

    private final DataSource dataSource;
    private final AssetWriter writer;
    private final AssetCategories categories;

    public AssetCsvImporter(DataSource dataSource, AssetWriter writer, AssetCategories categories) {
        this.dataSource = dataSource;
        this.writer = writer;
        this.categories = categories;
    }

    /** One row that passed the checks that need no database. */
    private record Row(int line, UUID uid, AssetKind kind, String category, String name, String description,
                       String organisation, String url, String email, String phone, String address, LocalDate lastChecked,
                       Geometry geometry) {
    }

    public AssetImportReport importCsv(Reader in, Options options, User user) throws IOException {
        AssetKind defaultKind = options.defaultKind() == null ? AssetKind.PLACE : options.defaultKind();
        AssetWriter.requireMayWrite(defaultKind, user);
        if (options.defaultCategory() != null) categories.require(options.defaultCategory(), "category");
        Map<String, String> labels = new HashMap<>();
        for (AssetCategories.Category c : categories.all()) labels.put(c.code(), c.label());
        BoundarySet wards = writer.wardSet();
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true)
                .setIgnoreEmptyLines(true).setAllowMissingColumnNames(true).build();
        List<Issue> issues = new ArrayList<>();
        List<Issue> warnings = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        int read = 0;
        try (CSVParser csv = CSVParser.parse(in, format)) {
            Map<String, String> col = detect(csv.getHeaderNames());
            if (!col.containsKey("wkt") && !(col.containsKey("easting") && col.containsKey("northing"))
                    && !(col.containsKey("lon") && col.containsKey("lat"))) {
                throw DomainException.rejected("file", "no geometry columns: give WKT (EPSG:27700), easting and northing "
                        + "(EPSG:27700) or lon and lat (WGS84); the columns are " + csv.getHeaderNames(), List.of());
            }
            if (!col.containsKey("name")) {
                throw DomainException.rejected("file", "no name column (name, distinctive_name, asset_name or title); the columns are "
                        + csv.getHeaderNames(), List.of());
            }
            if (!col.containsKey("category") && options.defaultCategory() == null) {
                throw DomainException.invalid("category", "the file has no category column: give the category of its rows (e.g. category=library)");
            }
            Set<UUID> uids = new HashSet<>();
            for (CSVRecord record : csv) {
                read++;
                int line = (int) record.getRecordNumber() + 1; // the header is line 1
                if (!record.isConsistent()) {
                    issues.add(Issue.atLine(null, line, null, "expected " + csv.getHeaderNames().size() + " columns, found " + record.size()));
                    continue;
                }
                Row row = row(record, col, options, defaultKind, labels, user, line, issues, warnings);
                if (row == null) continue;
                if (row.uid() != null && !uids.add(row.uid())) {
                    issues.add(Issue.atLine(null, line, col.get("uid"), "uid " + row.uid() + " appears twice in the file"));
                    continue;
                }
                rows.add(row);
            }
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw DomainException.rejected("file", "malformed CSV: " + e.getMessage(), List.of());
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                int[] stored = store(c, rows, wards, options.source(), user, issues);
                c.commit();
                // warnings only for rows that were kept
                Set<Integer> rejectedLines = new HashSet<>();
                for (Issue issue : issues) rejectedLines.add(issue.line());
                for (Issue warning : warnings) if (!rejectedLines.contains(warning.line())) issues.add(warning);
                issues.sort(java.util.Comparator.comparingInt(Issue::line));
                int rejected = (int) issues.stream().filter(Issue::isError).count();
                return new AssetImportReport("csv", options.source(), read, stored[0] + stored[1], stored[0], stored[1],
                        rejected, List.of(), issues);
            } catch (RuntimeException | SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("asset import failed in the database", e);
        }
    }

    private static Map<String, String> detect(List<String> headers) {
        Map<String, String> found = new HashMap<>();
        for (var e : COLUMNS.entrySet()) {
            for (String candidate : e.getValue()) {
                String match = headers.stream().filter(h -> h.trim().toLowerCase(Locale.ROOT).equals(candidate)).findFirst().orElse(null);
                if (match != null) {
                    found.put(e.getKey(), match);
                    break;
                }
            }
        }
        return found;
    }

    private Row row(CSVRecord r, Map<String, String> col, Options options, AssetKind defaultKind, Map<String, String> labels,
                    User user, int line, List<Issue> issues, List<Issue> warnings) {
        String category = value(r, col, "category");
        if (category == null) category = options.defaultCategory();
        if (category == null) {
            issues.add(Issue.atLine(null, line, col.get("category"), "no category"));
            return null;
        }
        if (!labels.containsKey(category)) {
            issues.add(Issue.atLine(null, line, col.get("category"), "unknown category '" + category + "'"));
            return null;
        }
        AssetKind kind = defaultKind;
        String kindValue = value(r, col, "kind");
        if (kindValue != null) {
            kind = AssetKind.find(kindValue).orElse(null);
            if (kind == null) {
                issues.add(Issue.atLine(null, line, col.get("kind"), AssetKind.unknown(kindValue, "kind")));
                return null;
            }
        }
        if (kind == AssetKind.PEOPLE && user != null && !AssetKind.peopleVisibleTo(user.role())) {
            issues.add(Issue.atLine(null, line, col.get("kind"), "people assets may be imported only by admins"));
            return null;
        }
        String name = value(r, col, "name");
        if (name == null) {
            name = labels.get(category) + " (unnamed)";
            warnings.add(new Issue("warning", null, line, "line " + line, col.get("name"), "no name: stored as '" + name + "'", null));
        } else if (name.length() > 300) {
            issues.add(Issue.atLine(null, line, col.get("name"), "the name is longer than 300 characters"));
            return null;
        }
        UUID uid = null;
        String uidValue = value(r, col, "uid");
        if (uidValue != null) {
            try {
                uid = UUID.fromString(uidValue);
            } catch (IllegalArgumentException e) {
                if ("uid".equalsIgnoreCase(col.get("uid"))) {
                    issues.add(Issue.atLine(null, line, col.get("uid"), "uid '" + uidValue + "' is not a UUID"));
                    return null;
                } // an "id" column that is not a UUID is the source's own key: not used
            }
        }
        LocalDate lastChecked = null;
        String checked = value(r, col, "last_checked");
        if (checked != null) {
            try {
                lastChecked = LocalDate.parse(checked);
            } catch (DateTimeParseException e) {
                issues.add(Issue.atLine(null, line, col.get("last_checked"), "last_checked '" + checked + "' is not a date like 2024-04-01"));
                return null;
            }
            if (lastChecked.isAfter(writer.today().plusDays(1))) {
                issues.add(Issue.atLine(null, line, col.get("last_checked"), "last_checked " + checked + " is in the future"));
                return null;
            }
        }
        String email = value(r, col, "email"), url = value(r, col, "url");
        Optional<Issue> contact = AssetDraft.email(email, col.get("email")).or(() -> AssetDraft.url(url, col.get("url")));
        if (contact.isPresent()) {
            issues.add(Issue.atLine(null, line, contact.get().field(), contact.get().message()));
            return null;
        }
        Geometry geometry = geometry(r, col, kind, line, issues);
        if (geometry == null) return null;
        String address = address(value(r, col, "address_1"), value(r, col, "city"), value(r, col, "postal_code"));
        return new Row(line, uid, kind, category, name, value(r, col, "description"), value(r, col, "organisation"),
                url, email, value(r, col, "phone"), address, lastChecked, geometry);
    }

    /** The row's geometry, or null (with an issue) when it has none or it is unreadable or invalid. */
    private static Geometry geometry(CSVRecord r, Map<String, String> col, AssetKind kind, int line, List<Issue> issues) {
        String wkt = value(r, col, "wkt");
        String e = value(r, col, "easting"), n = value(r, col, "northing");
        String lon = value(r, col, "lon"), lat = value(r, col, "lat");
        Geometry g;
        String field;
        if (wkt != null) {
            field = col.get("wkt");
            try {
                g = new WKTReader(BNG_FACTORY).read(wkt);
            } catch (ParseException ex) {
                issues.add(Issue.atLine(null, line, field, "unreadable WKT: " + ex.getMessage()));
                return null;
            }
            g.setSRID(27700);
            if (!Set.of("Point", "Polygon", "MultiPolygon").contains(g.getGeometryType()) || g.isEmpty()) {
                issues.add(Issue.atLine(null, line, field, "the WKT must be a POINT, POLYGON or MULTIPOLYGON, not " + g.getGeometryType().toUpperCase()));
                return null;
            }
            if (!BNG.contains(g.getEnvelopeInternal())) {
                issues.add(Issue.atLine(null, line, field, "the WKT is not in EPSG:27700 (British National Grid easting/northing in metres)"));
                return null;
            }
            var invalid = GeoJsonGeometry.invalidity(g);
            if (invalid.isPresent()) {
                issues.add(Issue.atLine(null, line, field, "invalid " + g.getGeometryType().toLowerCase() + ": " + invalid.get()));
                return null;
            }
        } else if (e != null || n != null) {
            field = col.get("easting");
            Double x = number(e), y = number(n);
            if (x == null || y == null || !BNG.contains(x, y)) {
                issues.add(Issue.atLine(null, line, field, "easting/northing '" + e + "', '" + n + "' are not EPSG:27700 metres"));
                return null;
            }
            g = BNG_FACTORY.createPoint(new Coordinate(x, y));
        } else if (lon != null || lat != null) {
            field = col.get("lon");
            Double x = number(lon), y = number(lat);
            if (x == null || y == null || x < -180 || x > 180 || y < -90 || y > 90) {
                issues.add(Issue.atLine(null, line, field, "lon/lat '" + lon + "', '" + lat + "' are not WGS84 degrees"));
                return null;
            }
            g = WGS84_FACTORY.createPoint(new Coordinate(x, y));
            g.setSRID(4326);
        } else {
            issues.add(Issue.atLine(null, line, null, "no geometry: the WKT, easting/northing and lon/lat are all empty"));
            return null;
        }
        if (kind == AssetKind.SERVICE && !"Point".equals(g.getGeometryType())) {
            issues.add(Issue.atLine(null, line, field, "a service's own geometry is the point where it is delivered, not a polygon"));
            return null;
        }
        return g;
    }

    private static Double number(String s) {
        if (s == null) return null;
        try {
            double v = Double.parseDouble(s);
            return Double.isFinite(v) ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String value(CSVRecord r, Map<String, String> col, String key) {
        String name = col.get(key);
        if (name == null) return null;
        String v = r.get(name);
        return v == null || v.isBlank() ? null : aim.csv.CsvText.restore(v.trim());
    }

    private static String address(String line1, String city, String postcode) {
        if (line1 == null && city == null && postcode == null) return null;
        var m = new LinkedHashMap<String, String>();
        if (line1 != null) m.put("address_1", line1);
        if (city != null) m.put("city", city);
        if (postcode != null) m.put("postal_code", postcode);
        try {
            return aim.core.Json.mapper().writeValueAsString(m);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Stages the rows, rejects those outside the council area (and uids of people assets the caller may not
     * change), then upserts the rest by uid. Returns {inserted, updated}.
     */
    private int[] store(Connection c, List<Row> rows, BoundarySet wards, String source, User user, List<Issue> issues)
            throws SQLException {
        try (var st = c.createStatement()) {
            st.execute("""
                    CREATE TEMP TABLE asset_csv_stage (line integer PRIMARY KEY, uid uuid, kind text, category text, name text,
                        description text, organisation text, url text, email text, phone text, address jsonb,
                        last_checked date, geom geometry) ON COMMIT DROP""");
        }
        WKBWriter wkb = new WKBWriter();
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO asset_csv_stage VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ST_Transform(ST_GeomFromWKB(?, ?), 27700))""")) {
            int n = 0;
            for (Row row : rows) {
                ps.setInt(1, row.line());
                ps.setObject(2, row.uid());
                ps.setString(3, row.kind().id());
                ps.setString(4, row.category());
                ps.setString(5, row.name());
                ps.setString(6, row.description());
                ps.setString(7, row.organisation());
                ps.setString(8, row.url());
                ps.setString(9, row.email());
                ps.setString(10, row.phone());
                ps.setString(11, row.address());
                ps.setObject(12, row.lastChecked());
                ps.setBytes(13, wkb.write(row.geometry()));
                ps.setInt(14, row.geometry().getSRID());
                ps.addBatch();
                if (++n % BATCH == 0) ps.executeBatch();
            }
            ps.executeBatch();
        }
        // rows outside the council area: not touching any ward of the current set
        reject(c, """
                SELECT s.line FROM asset_csv_stage s
                WHERE NOT EXISTS (SELECT 1 FROM boundary b WHERE b.set_id = ? AND ST_Intersects(b.geom, s.geom))""",
                List.of(wards.id()), "geometry", "outside the council area (the " + wards.version() + " wards)", issues);
        if (user != null && !AssetKind.peopleVisibleTo(user.role())) {
            reject(c, """
                    SELECT s.line FROM asset_csv_stage s JOIN asset a ON a.uid = s.uid WHERE a.kind = 'people'""",
                    List.of(), "uid", "the uid belongs to a people asset, which only admins may change", issues);
        }
        // organisations named by the kept rows: matched by name (case-insensitive), else added
        try (var st = c.createStatement()) {
            st.execute("""
                    INSERT INTO organisation (name)
                    SELECT DISTINCT ON (lower(s.organisation)) s.organisation FROM asset_csv_stage s
                    WHERE s.organisation IS NOT NULL
                      AND NOT EXISTS (SELECT 1 FROM organisation o WHERE lower(o.name) = lower(s.organisation))
                    ORDER BY lower(s.organisation), s.line""");
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO asset (uid, kind, category, name, description, organisation_id, geom, address, url, email, phone,
                                   last_checked, source, created_by, updated_by)
                SELECT coalesce(s.uid, gen_random_uuid()), s.kind, s.category, s.name, s.description,
                       (SELECT o.id FROM organisation o WHERE lower(o.name) = lower(s.organisation) ORDER BY o.id LIMIT 1),
                       s.geom, s.address, s.url, s.email, s.phone, coalesce(s.last_checked, current_date), ?, ?, ?
                FROM asset_csv_stage s ORDER BY s.line
                ON CONFLICT (uid) DO UPDATE SET
                    kind = excluded.kind, category = excluded.category, name = excluded.name,
                    description = coalesce(excluded.description, asset.description),
                    organisation_id = coalesce(excluded.organisation_id, asset.organisation_id), geom = excluded.geom,
                    address = coalesce(excluded.address, asset.address), url = coalesce(excluded.url, asset.url),
                    email = coalesce(excluded.email, asset.email), phone = coalesce(excluded.phone, asset.phone),
                    last_checked = excluded.last_checked, source = excluded.source, updated_at = now(),
                    updated_by = excluded.updated_by, retired_at = NULL, retired_by = NULL
                RETURNING (xmax = 0) AS inserted""")) {
            ps.setString(1, source);
            ps.setObject(2, user == null ? null : user.id());
            ps.setObject(3, user == null ? null : user.id());
            int inserted = 0, updated = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getBoolean(1)) inserted++;
                    else updated++;
                }
            }
            return new int[]{inserted, updated};
        }
    }

    private static void reject(Connection c, String select, List<Object> params, String field, String message,
                               List<Issue> issues) throws SQLException {
        List<Integer> lines = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(select)) {
            for (int i = 0; i < params.size(); i++) ps.setObject(i + 1, params.get(i));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) lines.add(rs.getInt(1));
            }
        }
        for (int line : lines) issues.add(Issue.atLine(null, line, field, message));
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM asset_csv_stage WHERE line = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("integer", lines.toArray()));
            ps.executeUpdate();
        }
    }
}
