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
 * Reads incidents as GeoJSON, streamed from a cursor, with what the caller's role may see: personal
 * fields (free text, reporter, recorder) only for roles that see personal data or the incident's own
 * recorder; for sensitive categories, others get the location generalised to the centre of its
 * 500 m British National Grid square. Area-only incidents (no point) are never listed.
 */
public final class IncidentRepository {
    private static final int FETCH_SIZE = 500;
    /** Side of the square sensitive locations are generalised to, in metres (EPSG:27700). */
    static final int GENERALISED_METRES = 500;

    private static final String SELECT = """
            SELECT i.id, i.source, i.category, c.label AS category_label, c.sensitive, i.occurred_at, i.occurred_precision,
                   CASE WHEN c.sensitive AND NOT sees.personal THEN 'generalised' ELSE i.location_precision END AS location_precision,
                   i.accuracy_m, i.location_text, i.area_code, w.code AS ward, w.name AS ward_name, i.status, i.recorded_at,
                   i.fly_size, i.fly_waste_type, i.fly_land_type, i.outcome,
                   (SELECT count(*) FROM incident_photo p WHERE p.incident_id = i.id) AS photo_count,
                   sees.personal, i.description, i.reporter_name, i.reporter_contact, u.username AS recorded_by,
                   ST_AsGeoJSON(ST_Transform(CASE WHEN c.sensitive AND NOT sees.personal
                       THEN ST_SetSRID(ST_MakePoint(floor(ST_X(i.geom) / %1$d) * %1$d + %1$d / 2.0,
                                                    floor(ST_Y(i.geom) / %1$d) * %1$d + %1$d / 2.0), 27700)
                       ELSE i.geom END, 4326), 6) AS geometry
            FROM incident i
            JOIN incident_category c ON c.code = i.category
            LEFT JOIN app_user u ON u.id = i.recorded_by
            CROSS JOIN LATERAL (SELECT (? OR coalesce(i.recorded_by = ?, false)) AS personal) sees
            LEFT JOIN LATERAL (SELECT b.code, b.name FROM boundary b
                               WHERE b.set_id = ? AND ST_Intersects(b.geom, i.geom) LIMIT 1) w ON true
            WHERE i.geom IS NOT NULL
            """.formatted(GENERALISED_METRES);

    private final DataSource dataSource;

    public IncidentRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Writes one page as a FeatureCollection; {@code meta.next_cursor} is the id to continue after,
     * or null on the last page. {@code wardSetId} and {@code neighbourhoodSetId} are the boundary
     * sets the ward and neighbourhood filters (and each feature's ward) refer to.
     */
    public void writePage(IncidentQuery q, User user, long wardSetId, Long neighbourhoodSetId, JsonGenerator out)
            throws IOException {
        SqlFragment where = SqlFragment.and(List.of(
                q.newestFirst() ? (q.cursorId() > 0 ? SqlFragment.of("i.id < ?", q.cursorId()) : SqlFragment.EMPTY)
                        : SqlFragment.of("i.id > ?", q.cursorId()),
                q.afterId() > 0 ? SqlFragment.of("i.id > ?", q.afterId()) : SqlFragment.EMPTY,
                bbox(q.bbox()),
                dates(q),
                anyOf("i.category", q.categories()),
                anyOf("i.source", q.sources()),
                anyOf("i.status", q.statuses()),
                area(q.ward(), wardSetId),
                area(q.neighbourhood(), neighbourhoodSetId)));
        String sql = SELECT + (where.sql().isEmpty() ? "" : " AND " + where.sql())
                + " ORDER BY i.id" + (q.newestFirst() ? " DESC" : "") + " LIMIT ?";
        int written = 0;
        long lastId = q.cursorId();
        boolean more = false;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false); // cursor-based fetching needs a transaction
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(FETCH_SIZE);
                int i = bindCaller(ps, user, wardSetId);
                for (Object p : where.params()) ps.setObject(i++, p);
                ps.setInt(i, q.limit() + 1);
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
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SELECT + " AND i.id = ?")) {
            int i = bindCaller(ps, user, wardSetId);
            ps.setLong(i, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return false;
                writeFeature(rs, out);
                return true;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading incident " + id + " failed", e);
        }
    }

    private static int bindCaller(PreparedStatement ps, User user, long wardSetId) throws SQLException {
        ps.setBoolean(1, user.role().seesPersonalData());
        ps.setLong(2, user.id());
        ps.setLong(3, wardSetId);
        return 4;
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

    /** The request's WGS84 box, transformed into the stored SRID so the spatial index is used. */
    static SqlFragment bbox(double[] b) {
        if (b == null) return SqlFragment.EMPTY;
        return SqlFragment.of("i.geom && ST_Transform(ST_MakeEnvelope(?, ?, ?, ?, 4326), 27700)", b[0], b[1], b[2], b[3]);
    }

    static SqlFragment dates(IncidentQuery q) {
        return OccurredWindow.sql("i", q.from(), q.to());
    }

    static SqlFragment anyOf(String column, List<String> values) {
        if (values == null || values.isEmpty()) return SqlFragment.EMPTY;
        return SqlFragment.of(column + " = ANY (?::text[])", (Object) values.toArray(String[]::new));
    }

    static SqlFragment area(String code, Long setId) {
        if (code == null || setId == null) return SqlFragment.EMPTY;
        return SqlFragment.of("ST_Intersects(i.geom, (SELECT b.geom FROM boundary b WHERE b.set_id = ? AND b.code = ?))", setId, code);
    }
}
