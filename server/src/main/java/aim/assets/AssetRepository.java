package aim.assets;

import aim.accounts.User;
import aim.db.SqlFragment;
import com.fasterxml.jackson.core.JsonGenerator;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads assets as GeoJSON features (WGS84, written by PostGIS), streamed from a cursor. Every read is
 * filtered by what the caller may see: people assets only for admins and analysts, and each request that
 * returns any is audited ({@link PeopleAudit}). Retired assets are left out unless asked for. Distances are
 * {@code ST_Distance} in EPSG:27700 metres, as the crow flies.
 */
public final class AssetRepository {
    private static final int FETCH_SIZE = 200;

    /** The point a request names, in the stored SRID. */
    static final String POINT = "ST_Transform(ST_SetSRID(ST_MakePoint(?, ?), 4326), 27700)";

    /** Free text: PostgreSQL full-text search (English stemming) over name, description and organisation, or a substring of the name. */
    static final String TEXT_VECTOR = "to_tsvector('english', a.name || ' ' || coalesce(a.description, '') || ' ' || coalesce(o.name, ''))";

    private static final String SELECT = """
            SELECT a.id, a.uid, a.kind, a.category, c.label AS category_label, a.name, a.description,
                   o.uid AS org_uid, o.name AS org_name, o.description AS org_description, o.email AS org_email,
                   o.url AS org_url, o.logo AS org_logo, o.uri AS org_uri,
                   a.address::text AS address, a.venue, a.url, a.email, a.phone, a.status, a.fees, a.referral,
                   a.attending_type, a.attending_access, a.deliverable_type,
                   a.contacts::text AS contacts, a.schedules::text AS schedules, a.eligibility::text AS eligibility,
                   a.cost_options::text AS cost_options, a.languages, a.service_area_wards, a.service_area_name,
                   ST_AsGeoJSON(ST_Transform(a.service_area_geom, 4326), 6) AS service_area_geometry,
                   a.last_checked, a.last_checked < current_date - ?::int AS stale, a.demo, a.source,
                   a.created_at, a.updated_at, a.retired_at, w.code AS ward, w.name AS ward_name,
                   %s AS distance_m,
                   ST_AsGeoJSON(ST_Transform(a.geom, 4326), 6) AS geometry, ST_AsText(a.geom) AS wkt
            FROM asset a
            JOIN asset_category c ON c.code = a.category
            LEFT JOIN organisation o ON o.id = a.organisation_id
            LEFT JOIN LATERAL (SELECT b.code, b.name FROM boundary b
                               WHERE b.set_id = ? AND ST_Intersects(b.geom, ST_PointOnSurface(a.geom)) LIMIT 1) w ON true
            """;

    private final DataSource dataSource;
    private final PeopleAudit audit;
    private final int staleDays;

    public AssetRepository(DataSource dataSource, PeopleAudit audit, int staleDays) {
        this.dataSource = dataSource;
        this.audit = audit;
        this.staleDays = staleDays;
    }

    public int staleDays() {
        return staleDays;
    }

    /** One request's reading: optional distance expression, conditions, order and row limit. */
    record Selection(SqlFragment distance, SqlFragment where, SqlFragment order, int limit) {
    }

    /**
     * Writes one page of the list as a FeatureCollection; {@code meta.next_cursor} continues after the last
     * id, null on the last page. {@code wardSetId} (nullable) is the ward set each feature's ward comes from.
     */
    public void writePage(AssetQuery q, User user, Long wardSetId, String endpoint, JsonGenerator out) throws IOException {
        SqlFragment where = SqlFragment.and(List.of(
                SqlFragment.of("a.id > ?", q.afterId()),
                visibility(user, q.kinds()),
                AssetCategories.within("a.category", q.categories()),
                bbox(q.bbox()),
                text(q.text()),
                q.includeRetired() ? SqlFragment.EMPTY : SqlFragment.of("a.retired_at IS NULL"),
                q.stale() == null ? SqlFragment.EMPTY : SqlFragment.of("(a.last_checked < current_date - ?::int) = ?", staleDays, q.stale())));
        out.writeStartObject();
        out.writeStringField("type", "FeatureCollection");
        out.writeArrayFieldStart("features");
        Streamed streamed = stream(new Selection(null, where, SqlFragment.of("a.id"), q.limit() + 1), user, wardSetId, endpoint, q.limit(), out);
        out.writeEndArray();
        out.writeObjectFieldStart("meta");
        out.writeNumberField("limit", q.limit());
        out.writeNumberField("returned", streamed.written());
        out.writeNumberField("stale_after_days", staleDays);
        if (streamed.more()) out.writeStringField("next_cursor", Long.toString(streamed.lastId()));
        else out.writeNullField("next_cursor");
        out.writeEndObject();
        out.writeEndObject();
    }

    /** Writes one asset as a Feature; false when there is none the caller may see (retired ones only if asked). */
    public boolean writeOne(long id, boolean includeRetired, User user, Long wardSetId, String endpoint, JsonGenerator out)
            throws IOException {
        SqlFragment where = SqlFragment.and(List.of(SqlFragment.of("a.id = ?", id), visibility(user, List.of()),
                includeRetired ? SqlFragment.EMPTY : SqlFragment.of("a.retired_at IS NULL")));
        return stream(new Selection(null, where, SqlFragment.of("a.id"), 1), user, wardSetId, endpoint, 1, out).written() == 1;
    }

    /**
     * Writes the directory search as a FeatureCollection: each feature has {@code distance_m} from {@code near}
     * when given (ordered by it, nearest first; assets without a geometry last), else the results are ordered
     * by text relevance ({@code ts_rank}) when there is text, else by name.
     */
    public void writeSearch(DirectoryQuery q, User user, String endpoint, JsonGenerator out) throws IOException {
        writeSearch(q, user, endpoint, out, false);
    }

    /**
     * With {@code similar}, the text matches names that are spelt alike (trigram word similarity,
     * pg_trgm, migrations/V16) instead, ordered by that similarity: the suggestions given when the
     * text itself finds nothing ({@code meta.order} "similarity", {@code meta.suggestions} true).
     */
    private void writeSearch(DirectoryQuery q, User user, String endpoint, JsonGenerator out, boolean similar) throws IOException {
        if (!similar && q.text() != null && !q.text().isBlank() && !anyMatch(q, user)) {
            writeSearch(q, user, endpoint, out, true);
            return;
        }
        double[] p = q.near();
        List<SqlFragment> conditions = searchConditions(q, user, similar);
        SqlFragment distance = p == null ? null : SqlFragment.of("ST_Distance(a.geom, " + POINT + ")", p[0], p[1]);
        SqlFragment order = p != null ? SqlFragment.of("distance_m NULLS LAST, a.id")
                : similar ? SqlFragment.of("greatest(word_similarity(?, a.name), coalesce(word_similarity(?, o.name), 0)) DESC, a.name, a.id",
                        q.text().trim(), q.text().trim())
                : q.text() != null && !q.text().isBlank()
                ? SqlFragment.of("ts_rank(" + TEXT_VECTOR + ", websearch_to_tsquery('english', ?)) DESC, a.name, a.id", q.text().trim())
                : SqlFragment.of("a.name, a.id");
        out.writeStartObject();
        out.writeStringField("type", "FeatureCollection");
        out.writeArrayFieldStart("features");
        Streamed streamed = stream(new Selection(distance, SqlFragment.and(conditions), order, q.limit() + 1), user,
                q.wardSetId(), endpoint, q.limit(), out);
        out.writeEndArray();
        out.writeObjectFieldStart("meta");
        out.writeNumberField("returned", streamed.written());
        out.writeBooleanField("truncated", streamed.more());
        out.writeNumberField("limit", q.limit());
        if (p != null) {
            out.writeArrayFieldStart("near");
            out.writeNumber(p[0]);
            out.writeNumber(p[1]);
            out.writeEndArray();
        }
        if (q.radius() != null) out.writeNumberField("radius_m", q.radius());
        out.writeStringField("order", p != null ? "distance" : similar ? "similarity" : q.text() != null && !q.text().isBlank() ? "relevance" : "name");
        out.writeBooleanField("suggestions", similar);
        out.writeStringField("distance", "metres in EPSG:27700 (straight line, not a walking route); 0 inside a footprint");
        out.writeStringField("text_search", "PostgreSQL full text (English stemming, websearch syntax) over name, description and "
                + "organisation, or a substring of the name or organisation (case-insensitive); when nothing matches, "
                + "suggestions: names or organisations spelt alike (trigram word similarity, pg_trgm)");
        out.writeEndObject();
        out.writeEndObject();
    }

    /**
     * Writes the nearest asset(s) of the categories to a point, with their distance, and the services within
     * {@code walkMetres} of it (of {@code serviceCategories} when given), nearest first.
     */
    public void writeNearest(double lon, double lat, List<String> categories, List<AssetKind> kinds, int count,
                             double walkMetres, List<String> serviceCategories, User user, Long wardSetId, String endpoint,
                             JsonGenerator out) throws IOException {
        SqlFragment distance = SqlFragment.of("ST_Distance(a.geom, " + POINT + ")", lon, lat);
        SqlFragment nearestWhere = SqlFragment.and(List.of(visibility(user, kinds), SqlFragment.of("a.retired_at IS NULL"),
                SqlFragment.of("a.geom IS NOT NULL"), AssetCategories.within("a.category", categories)));
        SqlFragment walkWhere = SqlFragment.and(List.of(SqlFragment.of("a.kind = 'service'"), SqlFragment.of("a.retired_at IS NULL"),
                SqlFragment.of("ST_DWithin(a.geom, " + POINT + ", ?)", lon, lat, walkMetres),
                AssetCategories.within("a.category", serviceCategories)));
        out.writeStartObject();
        out.writeArrayFieldStart("point");
        out.writeNumber(lon);
        out.writeNumber(lat);
        out.writeEndArray();
        out.writeArrayFieldStart("category");
        for (String category : categories) out.writeString(category);
        out.writeEndArray();
        out.writeArrayFieldStart("nearest");
        // the KNN operator <-> orders by the spatial index; ST_Distance gives the exact metres
        stream(new Selection(distance, nearestWhere, SqlFragment.of("a.geom <-> " + POINT + ", a.id", lon, lat), count), user,
                wardSetId, endpoint, count, out);
        out.writeEndArray();
        out.writeNumberField("walk_m", walkMetres);
        out.writeObjectFieldStart("services_within_walk");
        out.writeStringField("type", "FeatureCollection");
        out.writeArrayFieldStart("features");
        stream(new Selection(distance, walkWhere, SqlFragment.of("distance_m, a.id"), 501), user, wardSetId, endpoint, 500, out);
        out.writeEndArray();
        out.writeEndObject();
        out.writeStringField("distance", "metres in EPSG:27700, straight line (not a walking route)");
        out.writeEndObject();
    }

    /** What a stream wrote: how many features, whether more rows matched, and the last id written. */
    record Streamed(int written, boolean more, long lastId) {
    }

    /**
     * Streams features matching {@code s} into {@code out} (inside an array the caller opened), at most
     * {@code max}; audits the people assets written.
     */
    Streamed stream(Selection s, User user, Long wardSetId, String endpoint, int max, JsonGenerator out) throws IOException {
        return streamRows(s, user, wardSetId, endpoint, max, rs -> writeFeature(rs, out));
    }

    /** What to do with each row of a selection (write a feature, a CSV line…). */
    interface RowWriter {
        void write(ResultSet rs) throws SQLException, IOException;
    }

    /** Every visible, unretired asset (of the categories, if any) as one FeatureCollection, for export. */
    public void writeAllGeoJson(List<String> categories, User user, Long wardSetId, String endpoint, JsonGenerator out)
            throws IOException {
        out.writeStartObject();
        out.writeStringField("type", "FeatureCollection");
        out.writeArrayFieldStart("features");
        stream(exportSelection(categories, user), user, wardSetId, endpoint, Integer.MAX_VALUE, out);
        out.writeEndArray();
        out.writeEndObject();
    }

    /**
     * Every visible, unretired asset as CSV with the columns the CSV import reads (geometry as WKT in
     * EPSG:27700), so an export imports again. Text cells are neutralised against formula injection
     * ({@link aim.csv.CsvText}), which the CSV import undoes.
     */
    public void writeAllCsv(List<String> categories, User user, Long wardSetId, String endpoint, java.io.Writer writer)
            throws IOException {
        var csv = new org.apache.commons.csv.CSVPrinter(writer, org.apache.commons.csv.CSVFormat.DEFAULT.builder()
                .setHeader("uid", "kind", "category", "name", "description", "organisation", "address_1", "city",
                        "postal_code", "url", "email", "phone", "last_checked", "stale", "ward", "wkt").build());
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        streamRows(exportSelection(categories, user), user, wardSetId, endpoint, Integer.MAX_VALUE, rs -> {
            var address = rs.getString("address") == null ? json.createObjectNode() : json.readTree(rs.getString("address"));
            // text cells pass through CsvText.cell: a name like "=HYPERLINK(…)" must not run in a spreadsheet
            csv.printRecord(java.util.stream.Stream.of(rs.getString("uid"), rs.getString("kind"), rs.getString("category"),
                    rs.getString("name"), rs.getString("description"), rs.getString("org_name"), address.path("address_1").asText(null),
                    address.path("city").asText(null), address.path("postal_code").asText(null), rs.getString("url"),
                    rs.getString("email"), rs.getString("phone"), rs.getDate("last_checked"), rs.getBoolean("stale"),
                    rs.getString("ward"), rs.getString("wkt")).map(aim.csv.CsvText::cell));
        });
        csv.flush();
    }

    private Selection exportSelection(List<String> categories, User user) {
        SqlFragment where = SqlFragment.and(List.of(
                visibility(user, List.of()),
                AssetCategories.within("a.category", categories),
                SqlFragment.of("a.retired_at IS NULL")));
        return new Selection(null, where, SqlFragment.of("a.id"), Integer.MAX_VALUE);
    }

    private Streamed streamRows(Selection s, User user, Long wardSetId, String endpoint, int max, RowWriter row) throws IOException {
        SqlFragment distance = s.distance() == null ? SqlFragment.of("NULL::float8") : s.distance();
        String sql = SELECT.formatted(distance.sql()) + " WHERE " + (s.where().sql().isEmpty() ? "true" : s.where().sql())
                + " ORDER BY " + s.order().sql() + " LIMIT ?";
        List<Object> params = new ArrayList<>();
        params.add(staleDays);
        params.addAll(distance.params());
        params.add(wardSetId);
        params.addAll(s.where().params());
        params.addAll(s.order().params());
        params.add(s.limit());
        List<Long> people = new ArrayList<>();
        int written = 0;
        long lastId = 0;
        boolean more = false;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false); // the driver only uses a cursor inside a transaction
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(FETCH_SIZE);
                for (int i = 0; i < params.size(); i++) ps.setObject(i + 1, params.get(i));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (written == max) {
                            more = true;
                            break;
                        }
                        if ("people".equals(rs.getString("kind"))) people.add(rs.getLong("id"));
                        row.write(rs);
                        lastId = rs.getLong("id");
                        written++;
                    }
                }
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading assets failed", e);
        } finally {
            // after the connection is back in the pool: a request holds one connection at a time
            audit.record(user, endpoint, people);
        }
        return new Streamed(written, more, lastId);
    }

    /** People assets only for roles that may see them; the controller has already refused an explicit request from others. */
    static SqlFragment visibility(User user, List<AssetKind> kinds) {
        List<String> allowed = new ArrayList<>();
        for (AssetKind k : kinds.isEmpty() ? List.of(AssetKind.values()) : kinds) {
            if (k != AssetKind.PEOPLE || AssetKind.peopleVisibleTo(user.role())) allowed.add(k.id());
        }
        return SqlFragment.of("a.kind = ANY (?::text[])", (Object) allowed.toArray(String[]::new));
    }

    /** The request's WGS84 box, transformed into the stored SRID so the spatial index is used. */
    static SqlFragment bbox(double[] b) {
        return SqlFragment.overlaps("a.geom", SqlFragment.bbox(b));
    }

    private List<SqlFragment> searchConditions(DirectoryQuery q, User user, boolean similar) {
        List<SqlFragment> conditions = new ArrayList<>(List.of(
                visibility(user, q.kinds()),
                SqlFragment.of("a.retired_at IS NULL"),
                AssetCategories.within("a.category", q.categories()),
                similar ? similarText(q.text()) : text(q.text())));
        double[] p = q.near();
        if (p != null && q.radius() != null) conditions.add(SqlFragment.of("ST_DWithin(a.geom, " + POINT + ", ?)", p[0], p[1], q.radius()));
        if (q.ward() != null) {
            conditions.add(SqlFragment.of("ST_Intersects(a.geom, (SELECT geom FROM boundary WHERE set_id = ? AND code = ?))"
                    + " OR ? = ANY (a.service_area_wards)", q.wardSetId(), q.ward(), q.ward()));
        }
        return conditions;
    }

    /** Whether the search (its text as given) finds any asset the user may see. */
    private boolean anyMatch(DirectoryQuery q, User user) {
        SqlFragment where = SqlFragment.and(searchConditions(q, user, false));
        String sql = "SELECT EXISTS (SELECT 1 FROM asset a LEFT JOIN organisation o ON o.id = a.organisation_id WHERE " + where.sql() + ")";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < where.params().size(); i++) ps.setObject(i + 1, where.params().get(i));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the asset search failed", e);
        }
    }

    /**
     * Word similarity (pg_trgm) from which a name counts as spelt like the search text: "libary" against
     * "Library" scores below the extension's default threshold for {@code <%} (0.6) but above this (AssetApiTest).
     */
    static final double SIMILAR = 0.4;

    /**
     * Names or organisations spelt like {@code q} (word similarity at least {@link #SIMILAR}). The function
     * form, not {@code <%}: its threshold is a session setting. Only run when the text found nothing.
     */
    static SqlFragment similarText(String q) {
        return SqlFragment.of("word_similarity(?, a.name) >= ? OR word_similarity(?, o.name) >= ?", q.trim(), SIMILAR, q.trim(), SIMILAR);
    }

    static SqlFragment text(String q) {
        if (q == null || q.isBlank()) return SqlFragment.EMPTY;
        String like = "%" + q.trim().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        return SqlFragment.of(TEXT_VECTOR + " @@ websearch_to_tsquery('english', ?) OR a.name ILIKE ? OR o.name ILIKE ?",
                q.trim(), like, like);
    }

    private static void writeFeature(ResultSet rs, JsonGenerator out) throws SQLException, IOException {
        long id = rs.getLong("id");
        out.writeStartObject();
        out.writeStringField("type", "Feature");
        out.writeNumberField("id", id);
        out.writeFieldName("geometry");
        String geometry = rs.getString("geometry");
        if (geometry == null) out.writeNull();
        else out.writeRawValue(geometry);
        out.writeObjectFieldStart("properties");
        out.writeNumberField("id", id);
        out.writeStringField("uid", rs.getString("uid"));
        for (String column : List.of("kind", "category", "category_label", "name", "description")) out.writeStringField(column, rs.getString(column));
        double distance = rs.getDouble("distance_m");
        if (!rs.wasNull()) out.writeNumberField("distance_m", Math.round(distance * 10) / 10.0);
        if (rs.getString("org_uid") == null) {
            out.writeNullField("organisation");
        } else {
            out.writeObjectFieldStart("organisation");
            out.writeStringField("id", rs.getString("org_uid"));
            for (String f : List.of("name", "description", "email", "url", "logo", "uri")) {
                String v = rs.getString("org_" + f);
                if (v != null) out.writeStringField(f, v);
            }
            out.writeEndObject();
        }
        raw(out, "address", rs.getString("address"), "null");
        for (String column : List.of("venue", "url", "email", "phone", "status", "fees", "referral", "attending_type",
                "attending_access", "deliverable_type")) {
            out.writeStringField(column, rs.getString(column));
        }
        for (String column : List.of("contacts", "schedules", "eligibility", "cost_options")) raw(out, column, rs.getString(column), "[]");
        stringArray(out, "languages", rs.getArray("languages"));
        if ("service".equals(rs.getString("kind"))) {
            out.writeObjectFieldStart("service_area");
            stringArray(out, "wards", rs.getArray("service_area_wards"));
            out.writeStringField("name", rs.getString("service_area_name"));
            raw(out, "geometry", rs.getString("service_area_geometry"), "null");
            out.writeEndObject();
        }
        out.writeStringField("ward", rs.getString("ward"));
        out.writeStringField("ward_name", rs.getString("ward_name"));
        out.writeStringField("last_checked", rs.getDate("last_checked").toLocalDate().toString());
        out.writeBooleanField("stale", rs.getBoolean("stale"));
        out.writeBooleanField("demo", rs.getBoolean("demo"));
        out.writeStringField("source", rs.getString("source"));
        out.writeStringField("created_at", rs.getTimestamp("created_at").toInstant().toString());
        out.writeStringField("updated_at", rs.getTimestamp("updated_at").toInstant().toString());
        var retired = rs.getTimestamp("retired_at");
        out.writeStringField("retired_at", retired == null ? null : retired.toInstant().toString());
        out.writeEndObject();
        out.writeEndObject();
    }

    private static void raw(JsonGenerator out, String field, String json, String fallback) throws IOException {
        out.writeFieldName(field);
        out.writeRawValue(json == null ? fallback : json);
    }

    private static void stringArray(JsonGenerator out, String field, Array array) throws IOException, SQLException {
        out.writeArrayFieldStart(field);
        if (array != null) for (Object v : (Object[]) array.getArray()) out.writeString((String) v);
        out.writeEndArray();
    }
}
