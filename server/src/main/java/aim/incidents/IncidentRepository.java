package aim.incidents;

import aim.accounts.User;
import aim.db.SqlFragment;
import com.fasterxml.jackson.core.JsonGenerator;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Reads incidents as GeoJSON, streamed from a cursor, with what the caller may see ({@link Redaction}):
 * personal fields (free text, reporter, recorder) only for roles that see personal data or the
 * incident's own recorder; sensitive categories at the centre of their 500 m square, without location
 * text or accuracy, for everyone else, and every filter (bbox, ward, neighbourhood) tests that
 * generalised point. Area-only incidents (no point) are never listed.
 *
 * <p>A page is chosen first (the filters, the order and the limit over the caller's incidents, an
 * inner query), and only its rows are then given their ward, category label, recorder and photo count:
 * the planner cannot see how many rows the filters keep (the bbox tests a redacted point), and with the
 * joins in the same query it looked up the ward of every incident of the window before sorting
 * (16,483 point-in-polygon tests for a page of 1,000 at 1M incidents).
 */
public final class IncidentRepository {
    private static final int FETCH_SIZE = 500;

    /** The columns; then FROM one page of the caller's incidents as {@code i} (see {@link #page}), the joins of {@link #JOINS}. */
    private static final String SELECT = """
            SELECT i.id, i.source, i.category, c.label AS category_label, c.sensitive, i.occurred_at, i.occurred_precision,
                   i.location_precision, i.accuracy_m, i.location_text, i.area_code, w.code AS ward, w.name AS ward_name,
                   i.status, i.recorded_at, i.fly_size, i.fly_waste_type, i.fly_land_type, i.outcome,
                   (SELECT count(*) FROM incident_photo p WHERE p.incident_id = i.id) AS photo_count,
                   sees.personal, i.description, i.reporter_name, i.reporter_contact, u.username AS recorded_by,
                   ST_AsGeoJSON(ST_Transform(i.geom, 4326), 6) AS geometry
            FROM\s""";

    private static final String JOINS = """

            JOIN incident_category c ON c.code = i.category
            LEFT JOIN app_user u ON u.id = i.recorded_by
            CROSS JOIN LATERAL (SELECT (? OR coalesce(i.recorded_by = ?, false)) AS personal) sees
            LEFT JOIN LATERAL (SELECT b.code, b.name FROM boundary b
                               WHERE b.set_id = ? AND ST_Intersects(b.geom, i.geom) LIMIT 1) w ON true
            """;

    private final DataSource dataSource;

    public IncidentRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Writes one page as a FeatureCollection; {@code meta.next_cursor} is the id to continue after,
     * or null on the last page. {@code wardSetId} and {@code neighbourhoodSetId} are the boundary
     * sets the ward and neighbourhood filters (and each feature's ward) refer to.
     */
    public void writePage(IncidentQuery q, long wardSetId, Long neighbourhoodSetId, JsonGenerator out)
            throws IOException {
        User user = q.filter().viewer();
        SqlFragment box = SqlFragment.bbox(q.bbox());
        SqlFragment ward = areaGeometry(q.ward(), wardSetId);
        SqlFragment neighbourhood = areaGeometry(q.neighbourhood(), neighbourhoodSetId);
        SqlFragment where = SqlFragment.and(List.of(
                q.newestFirst() ? (q.cursorId() > 0 ? SqlFragment.of("i.id < ?", q.cursorId()) : SqlFragment.EMPTY)
                        : SqlFragment.of("i.id > ?", q.cursorId()),
                q.afterId() > 0 ? SqlFragment.of("i.id > ?", q.afterId()) : SqlFragment.EMPTY,
                SqlFragment.overlaps("i.geom", box),
                q.filter().located(ward, neighbourhood),
                IncidentFilter.anyOf("i.status", q.statuses())));
        String order = " ORDER BY i.id" + (q.newestFirst() ? " DESC" : "");
        SqlFragment page = page(q.filter().incidents(box, ward, neighbourhood), where, order + " LIMIT ?", q.limit() + 1);
        String sql = SELECT + page.sql() + JOINS + order;
        int written = 0;
        long lastId = q.cursorId();
        boolean more = false;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false); // cursor-based fetching needs a transaction
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(FETCH_SIZE);
                int i = 1;
                for (Object p : page.params()) ps.setObject(i++, p);
                bindCaller(ps, i, user, wardSetId);
                try (ResultSet rs = ps.executeQuery()) {
                    // nothing is written before the query runs, so a database error is still a clean problem
                    out.writeStartObject();
                    out.writeStringField("type", "FeatureCollection");
                    out.writeArrayFieldStart("features");
                    while (rs.next()) {
                        if (written == q.limit()) {
                            more = true;
                            break;
                        }
                        writeFeature(rs, out);
                        lastId = rs.getLong("id");
                        written++;
                    }
                }
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading incidents failed", e);
        }
        out.writeEndArray();
        out.writeObjectFieldStart("meta");
        out.writeNumberField("limit", q.limit());
        out.writeNumberField("returned", written);
        if (more) out.writeStringField("next_cursor", IncidentCursor.encode(lastId));
        else out.writeNullField("next_cursor");
        out.writeEndObject();
        out.writeEndObject();
    }

    /** Writes one incident as a Feature; false when there is none with that id (or it has no location). */
    public boolean writeOne(long id, User user, long wardSetId, JsonGenerator out) throws IOException {
        SqlFragment one = page(new IncidentFilter(null, null, List.of(), List.of(), null, user).incidents(),
                SqlFragment.of("i.id = ?", id), "", null);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(SELECT + one.sql() + JOINS)) {
            int i = 1;
            for (Object p : one.params()) ps.setObject(i++, p);
            bindCaller(ps, i, user, wardSetId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return false;
                writeFeature(rs, out);
                return true;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading incident " + id + " failed", e);
        }
    }

    /**
     * {@code (SELECT i.* FROM <incidents> WHERE i.geom IS NOT NULL AND <where> <tail>) i}: the located
     * incidents of the page, before anything is joined to them; {@code limit} (if not null) binds the
     * tail's {@code LIMIT ?}.
     */
    private static SqlFragment page(SqlFragment incidents, SqlFragment where, String tail, Integer limit) {
        List<Object> params = new java.util.ArrayList<>(incidents.params());
        params.addAll(where.params());
        if (limit != null) params.add(limit);
        String sql = "(SELECT i.* FROM " + incidents.sql() + " WHERE i.geom IS NOT NULL"
                + (where.sql().isEmpty() ? "" : " AND " + where.sql()) + tail + ") i";
        return new SqlFragment(sql, params);
    }

    private static int bindCaller(PreparedStatement ps, int i, User user, long wardSetId) throws SQLException {
        ps.setBoolean(i++, user.role().seesPersonalData());
        ps.setLong(i++, user.id());
        ps.setLong(i++, wardSetId);
        return i;
    }

    private static void writeFeature(ResultSet rs, JsonGenerator out) throws SQLException, IOException {
        out.writeStartObject();
        out.writeStringField("type", "Feature");
        out.writeNumberField("id", rs.getLong("id"));
        out.writeFieldName("geometry");
        out.writeRawValue(rs.getString("geometry"));
        out.writeObjectFieldStart("properties");
        out.writeNumberField("id", rs.getLong("id"));
        for (String column : List.of("source", "category", "category_label")) out.writeStringField(column, rs.getString(column));
        out.writeBooleanField("sensitive", rs.getBoolean("sensitive"));
        out.writeStringField("occurred_at", rs.getTimestamp("occurred_at").toInstant().toString());
        for (String column : List.of("occurred_precision", "location_precision")) out.writeStringField(column, rs.getString(column));
        float accuracy = rs.getFloat("accuracy_m");
        if (rs.wasNull() || "generalised".equals(rs.getString("location_precision"))) out.writeNullField("accuracy_m");
        else out.writeNumberField("accuracy_m", accuracy);
        for (String column : List.of("location_text", "area_code", "ward", "ward_name", "status")) {
            out.writeStringField(column, rs.getString(column));
        }
        out.writeStringField("recorded_at", rs.getTimestamp("recorded_at").toInstant().toString());
        for (String column : List.of("fly_size", "fly_waste_type", "fly_land_type", "outcome")) {
            out.writeStringField(column, rs.getString(column));
        }
        out.writeNumberField("photo_count", rs.getInt("photo_count"));
        if (rs.getBoolean("personal")) {
            for (String column : List.of("description", "reporter_name", "reporter_contact", "recorded_by")) {
                out.writeStringField(column, rs.getString(column));
            }
        }
        out.writeEndObject();
        out.writeEndObject();
    }

    /** The geometry of the area {@code code} of set {@code setId}, or empty for no area filter. */
    static SqlFragment areaGeometry(String code, Long setId) {
        if (code == null || setId == null) return SqlFragment.EMPTY;
        return SqlFragment.of("(SELECT b.geom FROM boundary b WHERE b.set_id = ? AND b.code = ?)", setId, code);
    }
}
