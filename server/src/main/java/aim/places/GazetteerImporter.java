package aim.places;

import aim.boundaries.BoundaryLevel;
import aim.boundaries.BoundaryRepository;
import aim.boundaries.BoundarySet;
import aim.core.DomainException;
import aim.core.Issue;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Imports an address gazetteer CSV into table {@code gazetteer} (migrations/V18). It recognises:
 * <ul>
 * <li>the ONS Postcode Directory (ONSPD, header row: {@code pcds} or {@code pcd}, {@code oseast1m},
 *     {@code osnrth1m}, or {@code lat}/{@code long}; {@code doterm} marks terminated postcodes, left out);</li>
 * <li>Code-Point Open (no header: postcode, quality, eastings, northings, …), or any postcode CSV with a
 *     {@code postcode} column and {@code easting}/{@code northing} (EPSG:27700 metres) or
 *     {@code lat}/{@code long} (WGS84 degrees);</li>
 * <li>OS Open Names (with its header row, or without one in the product's column order: ID, NAMES_URI,
 *     NAME1, …, TYPE, LOCAL_TYPE, GEOMETRY_X, GEOMETRY_Y, …, MBR_XMIN…MBR_YMAX, POSTCODE_DISTRICT, …):
 *     postcodes, roads (streets) and every other named place.</li>
 * </ul>
 * Good rows are kept and each bad row is reported by its line (an unreadable postcode, no or impossible
 * coordinates). Rows more than 5 km outside the current wards are counted and left out, so a national file
 * keeps the borough's part (unless {@code everywhere}). A re-import replaces entries with the same postcode
 * or OS Open Names ID. One transaction.
 */
public final class GazetteerImporter {
    static final int MAX_ISSUES = 200;
    private static final int BATCH = 1000;
    /** How far outside the wards' extent an entry is still kept (metres). */
    static final double MARGIN_M = 5000;
    public static final String OGL = "Open Government Licence v3.0";
    static final String LICENCE_ONSPD = "Contains OS data © Crown copyright and database right; contains Royal Mail data © Royal Mail "
            + "copyright and database right; contains National Statistics data © Crown copyright and database right (" + OGL + ")";
    static final String LICENCE_OPEN_NAMES = "Contains OS data © Crown copyright and database right (" + OGL + ")";
    /** OS Open Names' columns when its file has no header row (the product's documented order). */
    private static final List<String> OPEN_NAMES_COLUMNS = List.of("ID", "NAMES_URI", "NAME1", "NAME1_LANG", "NAME2", "NAME2_LANG",
            "TYPE", "LOCAL_TYPE", "GEOMETRY_X", "GEOMETRY_Y", "MOST_DETAIL_VIEW_RES", "LEAST_DETAIL_VIEW_RES", "MBR_XMIN",
            "MBR_YMIN", "MBR_XMAX", "MBR_YMAX", "POSTCODE_DISTRICT", "POSTCODE_DISTRICT_URI", "POPULATED_PLACE",
            "POPULATED_PLACE_URI", "POPULATED_PLACE_TYPE", "DISTRICT_BOROUGH", "DISTRICT_BOROUGH_URI", "DISTRICT_BOROUGH_TYPE",
            "COUNTY_UNITARY", "COUNTY_UNITARY_URI", "COUNTY_UNITARY_TYPE", "REGION", "REGION_URI", "COUNTRY", "COUNTRY_URI",
            "RELATED_SPATIAL_OBJECT", "SAME_AS_DBPEDIA", "SAME_AS_GEONAMES");
    /** Code-Point Open's first columns (it has no header row). */
    private static final List<String> CODE_POINT_COLUMNS = List.of("postcode", "positional_quality_indicator", "eastings", "northings");

    private static final String INSERT = """
            INSERT INTO gazetteer (kind, ref, name, search_key, district, local_type, context, geom, extent, source, licence, demo)
            SELECT ?, ?, ?, ?, ?, ?, ?, p.geom, ST_GeomFromText(?, 27700), ?, ?, ?
            FROM (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(?, ?), ?), 27700) AS geom) p
            WHERE ?::text IS NULL OR ST_Intersects(p.geom, ST_GeomFromText(?, 27700))
            ON CONFLICT (kind, ref) DO UPDATE SET name = EXCLUDED.name, search_key = EXCLUDED.search_key,
                district = EXCLUDED.district, local_type = EXCLUDED.local_type, context = EXCLUDED.context, geom = EXCLUDED.geom,
                extent = EXCLUDED.extent, source = EXCLUDED.source, licence = EXCLUDED.licence, demo = EXCLUDED.demo,
                imported_at = now()
            """;
    private static final String AREA = """
            SELECT ST_AsText(ST_Expand(ST_Envelope(ST_Collect(geom)), ?)) FROM boundary WHERE set_id = ANY (?)
            """;

    /** One gazetteer entry: coordinates in {@code srid} (27700 metres or 4326 degrees, x = lon). */
    record Entry(String kind, String ref, String name, String key, String district, String localType, String context,
                 double x, double y, int srid, String extentWkt) {
    }

    private final DataSource dataSource;
    private final BoundaryRepository boundaries;

    public GazetteerImporter(DataSource dataSource, BoundaryRepository boundaries) {
        this.dataSource = dataSource;
        this.boundaries = boundaries;
    }

    /**
     * Reads the CSV and stores its good rows. {@code source} names it (e.g. the file name), {@code licence}
     * overrides the licence recorded for its format; {@code everywhere} keeps rows far from the council.
     */
    public GazetteerImportReport importCsv(Reader in, String source, String licence, boolean everywhere, boolean demo)
            throws IOException {
        CSVFormat format = CSVFormat.DEFAULT.builder().setTrim(true).setIgnoreEmptyLines(true).build();
        try (Connection c = dataSource.getConnection(); CSVParser csv = CSVParser.parse(in, format)) {
            c.setAutoCommit(false);
            try {
                var report = read(csv, new Store(c, source, everywhere ? null : councilArea(c), demo), source, licence);
                c.commit();
                return report;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (UncheckedIOException e) {
            throw DomainException.rejected("file", "malformed CSV: " + e.getMessage(), List.of());
        } catch (SQLException e) {
            throw new IllegalStateException("the gazetteer import failed in the database: " + e.getMessage(), e);
        }
    }

    /** Recognises the file by its first row, then stores its good rows in batches as it reads them. */
    private GazetteerImportReport read(CSVParser csv, Store store, String source, String licence) throws SQLException {
        var rows = csv.iterator();
        if (!rows.hasNext()) throw DomainException.rejected("file", "the file is empty", List.of());
        CSVRecord first = rows.next();
        Map<String, Integer> col = new HashMap<>();
        List<String> firstCells = first.toList();
        boolean header = true;
        String kindOfFile;
        if (has(firstCells, "NAME1")) {
            kindOfFile = "os-open-names";
            index(col, firstCells);
        } else if (has(firstCells, "pcds") || has(firstCells, "pcd") || has(firstCells, "pcd7") || has(firstCells, "pcd8")) {
            kindOfFile = "onspd";
            index(col, firstCells);
        } else if (has(firstCells, "postcode")) {
            kindOfFile = "postcodes";
            index(col, firstCells);
        } else if (firstCells.size() >= 30 && firstCells.get(0).toLowerCase(Locale.ROOT).startsWith("osgb")) {
            kindOfFile = "os-open-names";
            index(col, OPEN_NAMES_COLUMNS);
            header = false;
        } else if (firstCells.size() >= 4 && Postcodes.isFull(firstCells.get(0))) {
            kindOfFile = "code-point-open";
            index(col, CODE_POINT_COLUMNS);
            header = false;
        } else {
            throw DomainException.rejected("file", "not a gazetteer file AIM knows: expected the ONS Postcode Directory "
                    + "(pcds, oseast1m, osnrth1m), Code-Point Open, a CSV with postcode and easting/northing or lat/long, "
                    + "or OS Open Names (NAME1, LOCAL_TYPE, GEOMETRY_X, GEOMETRY_Y …)", List.of());
        }
        boolean names = kindOfFile.equals("os-open-names");
        for (String alias : List.of("pcds", "pcd", "pcd7", "pcd8")) {
            if (!col.containsKey("postcode") && col.containsKey(alias)) col.put("postcode", col.get(alias));
        }
        store.licence = licence != null ? licence : names ? LICENCE_OPEN_NAMES : LICENCE_ONSPD;
        List<Issue> issues = new ArrayList<>();
        int read = 0, terminated = 0, rejected = 0;
        CSVRecord r = header ? null : first;
        while (r != null || rows.hasNext()) {
            if (r == null) r = rows.next();
            read++;
            int line = (int) r.getRecordNumber(); // a header is line 1
            try {
                if (!names && !blank(cell(r, col, "doterm"))) terminated++;
                else store.add(names ? openNames(r, col) : postcode(r, col));
            } catch (IllegalArgumentException e) {
                rejected++;
                if (issues.size() < MAX_ISSUES) issues.add(Issue.atLine(source, line, null, e.getMessage()));
            }
            r = null;
        }
        store.flush();
        return new GazetteerImportReport(kindOfFile, source, store.licence, read, store.stored, store.added - store.stored,
                terminated, rejected, issues);
    }

    /** Batched inserts into one transaction; entries outside {@code area} (WKT, EPSG:27700) are left out by the insert. */
    private static final class Store {
        private final PreparedStatement ps;
        private final String source, area;
        private final boolean demo;
        String licence;
        int added, stored;

        Store(Connection c, String source, String area, boolean demo) throws SQLException {
            this.ps = c.prepareStatement(INSERT);
            this.source = source;
            this.area = area;
            this.demo = demo;
        }

        void add(Entry e) throws SQLException {
            int i = 1;
            ps.setString(i++, e.kind());
            ps.setString(i++, e.ref());
            ps.setString(i++, e.name());
            ps.setString(i++, e.key());
            ps.setString(i++, e.district());
            ps.setString(i++, e.localType());
            ps.setString(i++, e.context());
            ps.setString(i++, e.extentWkt());
            ps.setString(i++, source);
            ps.setString(i++, licence);
            ps.setBoolean(i++, demo);
            ps.setDouble(i++, e.x());
            ps.setDouble(i++, e.y());
            ps.setInt(i++, e.srid());
            ps.setString(i++, area);
            ps.setString(i, area);
            ps.addBatch();
            if (++added % BATCH == 0) flush();
        }

        void flush() throws SQLException {
            for (int k : ps.executeBatch()) stored += Math.max(k, 0);
        }
    }

    /** The current wards' extent widened by {@link #MARGIN_M} (WKT, EPSG:27700), or null when there are no wards. */
    private String councilArea(Connection c) throws SQLException {
        Long[] ids = boundaries.current(BoundaryLevel.WARD).stream().map(BoundarySet::id).toArray(Long[]::new);
        if (ids.length == 0) return null;
        try (PreparedStatement ps = c.prepareStatement(AREA)) {
            ps.setDouble(1, MARGIN_M);
            ps.setArray(2, c.createArrayOf("bigint", ids));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** A postcode row (ONSPD, Code-Point Open or plain): grid reference first, else latitude and longitude. */
    static Entry postcode(CSVRecord r, Map<String, Integer> col) {
        String raw = cell(r, col, "postcode");
        if (blank(raw)) throw new IllegalArgumentException("no postcode");
        if (!Postcodes.isFull(raw)) throw new IllegalArgumentException("'" + raw + "' is not a postcode");
        String postcode = Postcodes.format(raw);
        String e = first(r, col, "oseast1m", "eastings", "easting", "x");
        String n = first(r, col, "osnrth1m", "northings", "northing", "y");
        double x, y;
        int srid;
        if (!blank(e) && !blank(n)) {
            x = number(e, "easting");
            y = number(n, "northing");
            srid = 27700;
        } else {
            String lat = first(r, col, "lat", "latitude"), lon = first(r, col, "long", "lon", "longitude");
            if (blank(lat) || blank(lon)) throw new IllegalArgumentException(postcode + " has no grid reference or latitude and longitude");
            y = number(lat, "latitude");
            x = number(lon, "longitude");
            srid = 4326;
        }
        // ONSPD gives postcodes without a grid reference 0 or 99.999999
        if (srid == 27700 && (x == 0 && y == 0)) throw new IllegalArgumentException(postcode + " has no grid reference");
        checkPlace(x, y, srid, postcode);
        return new Entry("postcode", Postcodes.key(postcode), postcode, Postcodes.key(postcode), Postcodes.district(postcode),
                "Postcode", null, x, y, srid, null);
    }

    /** An OS Open Names row: postcodes, roads (streets) and every other named place. */
    static Entry openNames(CSVRecord r, Map<String, Integer> col) {
        String name = cell(r, col, "NAME1");
        if (blank(name)) throw new IllegalArgumentException("no NAME1");
        String type = cell(r, col, "TYPE"), localType = cell(r, col, "LOCAL_TYPE");
        double x = number(cell(r, col, "GEOMETRY_X"), "GEOMETRY_X"), y = number(cell(r, col, "GEOMETRY_Y"), "GEOMETRY_Y");
        checkPlace(x, y, 27700, name);
        boolean postcode = "postcode".equalsIgnoreCase(type) || "Postcode".equalsIgnoreCase(localType);
        if (postcode) {
            if (!Postcodes.isFull(name)) throw new IllegalArgumentException("'" + name + "' is not a postcode");
            String formatted = Postcodes.format(name);
            return new Entry("postcode", Postcodes.key(name), formatted, Postcodes.key(name), Postcodes.district(name), localType,
                    context(r, col, formatted), x, y, 27700, null);
        }
        String kind = "transportNetwork".equalsIgnoreCase(type) || (localType != null && localType.toLowerCase(Locale.ROOT).contains("road"))
                ? "street" : "place";
        String id = cell(r, col, "ID");
        String ref = blank(id) ? name + "@" + Math.round(x) + "," + Math.round(y) : id;
        String extent = null;
        String x0 = cell(r, col, "MBR_XMIN"), y0 = cell(r, col, "MBR_YMIN"), x1 = cell(r, col, "MBR_XMAX"), y1 = cell(r, col, "MBR_YMAX");
        if (!blank(x0) && !blank(y0) && !blank(x1) && !blank(y1)) {
            double a = number(x0, "MBR_XMIN"), b = number(y0, "MBR_YMIN"), cc = number(x1, "MBR_XMAX"), d = number(y1, "MBR_YMAX");
            if (cc > a && d > b) extent = "POLYGON((%s %s,%s %s,%s %s,%s %s,%s %s))".formatted(a, b, cc, b, cc, d, a, d, a, b);
        }
        String district = cell(r, col, "POSTCODE_DISTRICT");
        return new Entry(kind, ref, name, name.toLowerCase(Locale.ROOT), blank(district) ? null : district, localType,
                context(r, col, name), x, y, 27700, extent);
    }

    /** Where a named place is: its town, else its district or borough, else its county (not its own name). */
    private static String context(CSVRecord r, Map<String, Integer> col, String name) {
        for (String c : List.of("POPULATED_PLACE", "DISTRICT_BOROUGH", "COUNTY_UNITARY")) {
            String v = cell(r, col, c);
            if (!blank(v) && !v.equalsIgnoreCase(name)) return v;
        }
        return null;
    }

    /** Coordinates in Great Britain: British National Grid metres, or WGS84 degrees. */
    private static void checkPlace(double x, double y, int srid, String what) {
        boolean ok = srid == 27700 ? x >= 0 && x <= 700_000 && y >= 0 && y <= 1_300_000
                : x >= -9 && x <= 3 && y >= 49 && y <= 61;
        if (!ok) {
            throw new IllegalArgumentException(what + ": " + x + ", " + y + (srid == 27700
                    ? " is not a British National Grid point (EPSG:27700 metres)" : " is not a longitude and latitude in Great Britain"));
        }
    }

    private static double number(String text, String field) {
        try {
            double v = Double.parseDouble(text.trim());
            if (Double.isFinite(v)) return v;
        } catch (NumberFormatException | NullPointerException e) {
            // answered below
        }
        throw new IllegalArgumentException(field + " '" + (text == null ? "" : text) + "' is not a number");
    }

    private static boolean has(List<String> cells, String name) {
        return cells.stream().anyMatch(c -> c.equalsIgnoreCase(name));
    }

    private static void index(Map<String, Integer> col, List<String> names) {
        for (int i = 0; i < names.size(); i++) col.putIfAbsent(names.get(i).toLowerCase(Locale.ROOT), i);
    }

    private static String first(CSVRecord r, Map<String, Integer> col, String... names) {
        for (String n : names) {
            String v = cell(r, col, n);
            if (!blank(v)) return v;
        }
        return null;
    }

    private static String cell(CSVRecord r, Map<String, Integer> col, String name) {
        Integer i = col.get(name.toLowerCase(Locale.ROOT));
        return i == null || i >= r.size() ? null : r.get(i);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
