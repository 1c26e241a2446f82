package aim.reports;

import aim.core.DomainException;
import aim.boundaries.BoundaryLevel;
import aim.boundaries.BoundaryRepository;
import aim.boundaries.BoundarySet;
import aim.incidents.IncidentPartitions;
import aim.incidents.Redaction;
import aim.incidents.Taxonomy;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * Warden reports in the incident store (source {@code warden}), their history and idempotency keys.
 * Points arrive in WGS84 degrees and are stored in EPSG:27700 by PostGIS; they are read back in
 * WGS84 with 6 decimals (about 0.1 m). Status changes and edits lock the report row, so concurrent
 * changes apply one after the other.
 */
public final class ReportRepository {
    /** Where the British National Grid is meaningful, with a margin (EPSG:27700's area of use is -9 to 2°E, 49.75 to 61°N). */
    private static final double MIN_LON = -10, MAX_LON = 3, MIN_LAT = 49, MAX_LAT = 62;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String SELECT = """
            SELECT i.id, i.source, i.category, c.label, c.sensitive, i.status, i.assigned_to, i.occurred_at, i.recorded_at,
                   round(ST_X(p.point)::numeric, 6) AS lon, round(ST_Y(p.point)::numeric, 6) AS lat,
                   round(ST_X(p.square)::numeric, 6) AS square_lon, round(ST_Y(p.square)::numeric, 6) AS square_lat,
                   i.accuracy_m, i.location_text, i.description, i.reporter_name, i.reporter_contact,
                   i.recorded_by, u.username, i.fly_size, i.fly_waste_type, i.fly_land_type
            FROM incident i
            JOIN incident_category c ON c.code = i.category
            LEFT JOIN app_user u ON u.id = i.recorded_by
            -- the exact point, and the centre of the 500 m grid square holding it (for generalised display)
            CROSS JOIN LATERAL (SELECT ST_Transform(i.geom, 4326) AS point, ST_Transform(%s, 4326) AS square) p
            WHERE i.source = 'warden'
            """.formatted(Redaction.squareCentre("i.geom"));

    private static final String INSERT = """
            INSERT INTO incident (source, category, occurred_at, occurred_precision, geom, location_precision, accuracy_m,
                                  location_text, status, description, reporter_name, reporter_contact,
                                  fly_size, fly_waste_type, fly_land_type, recorded_by, external_key)
            VALUES ('warden', ?, ?, 'minute', ST_Transform(ST_SetSRID(ST_MakePoint(?, ?), 4326), 27700), ?, ?,
                    ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?)
            RETURNING id""";

    private static final String UPDATE = """
            UPDATE incident SET category = ?, occurred_at = ?,
                   geom = CASE WHEN ? THEN ST_Transform(ST_SetSRID(ST_MakePoint(?, ?), 4326), 27700) ELSE geom END,
                   location_precision = ?, accuracy_m = ?, location_text = ?, description = ?, reporter_name = ?, reporter_contact = ?,
                   fly_size = ?, fly_waste_type = ?, fly_land_type = ?, updated_at = now()
            WHERE id = ?""";

    private static final String INSIDE = """
            SELECT EXISTS (SELECT 1 FROM boundary
                           WHERE set_id = ? AND ST_Intersects(geom, ST_Transform(ST_SetSRID(ST_MakePoint(?, ?), 4326), 27700)))""";

    private final DataSource dataSource;
    private final BoundaryRepository boundaries;

    public ReportRepository(DataSource dataSource, BoundaryRepository boundaries) {
        this.dataSource = dataSource;
        this.boundaries = boundaries;
    }

    /** The category taxonomy as it is now (admins may add categories while the server runs). */
    public Taxonomy taxonomy() {
        return Taxonomy.load(dataSource);
    }

    /** A stored Idempotency-Key: the request it was first used with, and the report that request created. */
    public record Idempotent(byte[] requestHash, long reportId) {
    }

    public Optional<Idempotent> idempotent(long userId, String key) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT request_hash, incident_id FROM idempotency_key WHERE user_id = ? AND key = ?")) {
            ps.setLong(1, userId);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Idempotent(rs.getBytes(1), rs.getLong(2))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading an idempotency key failed", e);
        }
    }

    /**
     * Stores a new report, its Idempotency-Key and its 'created' event in one transaction. Returns
     * empty when the key (or the report's external key) already exists: a concurrent request with the
     * same key committed first, and the caller answers with that one's report.
     */
    public OptionalLong create(ReportFields f, long userId, String key, byte[] requestHash) {
        try (Connection c = dataSource.getConnection()) {
            // the month's partition, in a short transaction of its own (nearly always there already)
            IncidentPartitions.ensureMonth(c, f.occurredAt());
            c.setAutoCommit(false);
            try {
                long id;
                try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                    int i = 1;
                    ps.setString(i++, f.category());
                    ps.setObject(i++, OffsetDateTime.ofInstant(f.occurredAt(), ZoneOffset.UTC));
                    i = bindFields(ps, i, f);
                    ps.setLong(i++, userId);
                    ps.setString(i, "warden:" + userId + ":" + key);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        id = rs.getLong(1);
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO idempotency_key (user_id, key, request_hash, incident_id) VALUES (?, ?, ?, ?)")) {
                    ps.setLong(1, userId);
                    ps.setString(2, key);
                    ps.setBytes(3, requestHash);
                    ps.setLong(4, id);
                    ps.executeUpdate();
                }
                event(c, id, userId, "created", null, "open", null);
                c.commit();
                return OptionalLong.of(id);
            } catch (SQLException e) {
                c.rollback();
                if ("23505".equals(e.getSQLState())) return OptionalLong.empty(); // unique violation: a duplicate
                throw e;
            } catch (RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("storing a report failed", e);
        }
    }

    public Optional<Report> find(long id) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SELECT + " AND i.id = ?")) {
            ps.setLong(1, id);
            List<Report> found = read(ps);
            return found.isEmpty() ? Optional.empty() : Optional.of(withPhotos(c, found).get(0));
        } catch (SQLException e) {
            throw new IllegalStateException("reading report " + id + " failed", e);
        }
    }

    /** The reports {@code userId} recorded on {@code day} (a day in {@code zone}), newest first, at most {@code limit}. */
    public List<Report> recordedOn(long userId, LocalDate day, ZoneId zone, int limit) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SELECT
                + " AND i.recorded_by = ? AND i.recorded_at >= ? AND i.recorded_at < ? ORDER BY i.recorded_at DESC, i.id DESC LIMIT ?")) {
            ps.setLong(1, userId);
            ps.setObject(2, day.atStartOfDay(zone).toOffsetDateTime());
            ps.setObject(3, day.plusDays(1).atStartOfDay(zone).toOffsetDateTime());
            ps.setInt(4, limit);
            return withPhotos(c, read(ps));
        } catch (SQLException e) {
            throw new IllegalStateException("reading a user's reports failed", e);
        }
    }

    /**
     * Whether a point (WGS84 degrees) lies in the council area: in one of the wards of the current
     * ward set (a point on a ward edge counts as inside). A 409 problem naming {@code location} when no
     * ward set is current, since the area is then unknown.
     */
    public boolean insideCouncilArea(double lon, double lat) {
        long set = currentWardSet();
        try (Connection c = dataSource.getConnection()) {
            return inside(c, set, lon, lat);
        } catch (SQLException e) {
            throw new IllegalStateException("testing a point against the wards failed", e);
        }
    }

    /** What a status change writes: the new status, the assignee, and what the history records beside from/to. */
    public record StatusUpdate(String to, String assignedTo, Map<String, Object> changes) {
    }

    /**
     * Locks the report, lets {@code decide} check the change against its current state (it throws a
     * problem to refuse), then stores the change and its 'status' event. Returns the report after it,
     * or empty when there is no report {@code id}.
     */
    public Optional<Report> changeStatus(long id, long byUser, Function<Report, StatusUpdate> decide) {
        boolean[] found = {false};
        inTransaction("changing the status of report " + id, c -> {
            Optional<Report> locked = lock(c, id);
            if (locked.isEmpty()) return;
            found[0] = true;
            Report current = locked.get();
            StatusUpdate update = decide.apply(current);
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE incident SET status = ?, assigned_to = ?, updated_at = now() WHERE id = ?")) {
                ps.setString(1, update.to());
                ps.setString(2, update.assignedTo());
                ps.setLong(3, id);
                ps.executeUpdate();
            }
            event(c, id, byUser, "status", current.status(), update.to(), update.changes());
        });
        return found[0] ? find(id) : Optional.empty();
    }

    /**
     * Locks the report, lets {@code decide} work out the edit from its current state, and stores it
     * with an 'edit' event (nothing when nothing changes). A moved point must lie in the council area
     * (422 naming {@code location}); {@code locationGiven} says whether the request may move it, so that
     * the ward set is looked up before the row is locked. Empty when there is no report {@code id}.
     */
    public Optional<Report> edit(long id, long byUser, boolean locationGiven, Function<Report, ReportEdit> decide) {
        Long wardSet = locationGiven ? currentWardSet() : null;
        boolean[] found = {false};
        inTransaction("editing report " + id, c -> {
            Optional<Report> locked = lock(c, id);
            if (locked.isEmpty()) return;
            found[0] = true;
            ReportEdit edit = decide.apply(locked.get());
            if (edit.isEmpty()) return;
            ReportFields f = edit.fields();
            if (edit.moved() && (wardSet == null || !inside(c, wardSet, f.lon(), f.lat()))) throw outsideCouncilArea();
            // a new month's partition, if the edit moves the report to a month without one (a brief lock)
            IncidentPartitions.ensureMonth(c, f.occurredAt());
            try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
                int i = 1;
                ps.setString(i++, f.category());
                ps.setObject(i++, OffsetDateTime.ofInstant(f.occurredAt(), ZoneOffset.UTC));
                ps.setBoolean(i++, edit.moved());
                i = bindFields(ps, i, f);
                ps.setLong(i, id);
                ps.executeUpdate();
            }
            event(c, id, byUser, "edit", null, null, edit.changes());
        });
        return found[0] ? find(id) : Optional.empty();
    }

    /** The 422 problem for a point outside the current wards. */
    public static DomainException outsideCouncilArea() {
        return DomainException.rejected("location", "the point lies outside the council area (the current wards)", null);
    }

    /** The report's history, oldest first, with usernames. */
    public List<ReportEvent> history(long id) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT e.id, e.kind, e.at, u.username, e.from_status, e.to_status, e.changes::text
                FROM incident_event e LEFT JOIN app_user u ON u.id = e.by_user
                WHERE e.incident_id = ? ORDER BY e.at, e.id""")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                List<ReportEvent> events = new ArrayList<>();
                while (rs.next()) {
                    String changes = rs.getString(7);
                    events.add(new ReportEvent(rs.getLong(1), rs.getString(2), rs.getObject(3, OffsetDateTime.class).toInstant(),
                            rs.getString(4), rs.getString(5), rs.getString(6), changes == null ? null : JSON.readTree(changes)));
                }
                return events;
            }
        } catch (SQLException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("reading the history of report " + id + " failed", e);
        }
    }

    /** Writes one history event (in the caller's transaction). */
    static void event(Connection c, long reportId, long byUser, String kind, String from, String to, Map<String, ?> changes)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO incident_event (incident_id, by_user, kind, from_status, to_status, changes)
                VALUES (?, ?, ?, ?, ?, ?::jsonb)""")) {
            ps.setLong(1, reportId);
            ps.setLong(2, byUser);
            ps.setString(3, kind);
            ps.setString(4, from);
            ps.setString(5, to);
            ps.setString(6, changes == null || changes.isEmpty() ? null : JSON.writeValueAsString(changes));
            ps.executeUpdate();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("writing an event failed", e);
        }
    }

    private long currentWardSet() {
        List<BoundarySet> sets = boundaries.current(BoundaryLevel.WARD);
        if (sets.isEmpty()) {
            throw DomainException.conflict("location", "no current ward boundaries are loaded, so the council area is unknown: "
                    + "an admin must import the wards before reports can be recorded");
        }
        return sets.get(0).id();
    }

    private static boolean inside(Connection c, long wardSet, double lon, double lat) throws SQLException {
        // beyond Great Britain the transform to the British National Grid means nothing (and may fail)
        if (lon < MIN_LON || lon > MAX_LON || lat < MIN_LAT || lat > MAX_LAT) return false;
        try (PreparedStatement ps = c.prepareStatement(INSIDE)) {
            ps.setLong(1, wardSet);
            ps.setDouble(2, lon);
            ps.setDouble(3, lat);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private Optional<Report> lock(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT + " AND i.id = ? FOR UPDATE OF i")) {
            ps.setLong(1, id);
            return read(ps).stream().findFirst();
        }
    }

    /** The reports with their photos, read on the caller's connection (a second one from the pool could deadlock). */
    private static List<Report> withPhotos(Connection c, List<Report> reports) throws SQLException {
        if (reports.isEmpty()) return reports;
        Map<Long, List<Report.Photo>> byReport = PhotoStore.describe(c, reports.stream().map(Report::id).toList());
        return reports.stream().map(r -> r.withPhotos(byReport.getOrDefault(r.id(), List.of()))).toList();
    }

    private static List<Report> read(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            List<Report> reports = new ArrayList<>();
            while (rs.next()) {
                Object accuracy = rs.getObject("accuracy_m");
                long recordedBy = rs.getLong("recorded_by");
                Long recordedById = rs.wasNull() ? null : recordedBy;
                reports.add(new Report(
                        rs.getLong("id"),
                        rs.getString("source"),
                        rs.getString("category"),
                        rs.getString("label"),
                        rs.getBoolean("sensitive"),
                        rs.getString("status"),
                        rs.getString("assigned_to"),
                        instant(rs, "occurred_at"),
                        instant(rs, "recorded_at"),
                        number(rs, "lon"),
                        number(rs, "lat"),
                        number(rs, "square_lon"),
                        number(rs, "square_lat"),
                        // a real column: print it as the short decimal it was given as, not its binary expansion
                        accuracy == null ? null : Double.valueOf(accuracy.toString()),
                        rs.getString("location_text"),
                        rs.getString("description"),
                        rs.getString("reporter_name"),
                        rs.getString("reporter_contact"),
                        recordedById,
                        rs.getString("username"),
                        rs.getString("fly_size"),
                        rs.getString("fly_waste_type"),
                        rs.getString("fly_land_type"),
                        List.of()));
            }
            return reports;
        }
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static Double number(ResultSet rs, String column) throws SQLException {
        var value = rs.getBigDecimal(column);
        return value == null ? null : value.doubleValue();
    }

    /**
     * Binds the fields INSERT and UPDATE share, in their common order from lon onwards; returns the
     * next parameter index.
     */
    private static int bindFields(PreparedStatement ps, int i, ReportFields f) throws SQLException {
        ps.setDouble(i++, f.lon());
        ps.setDouble(i++, f.lat());
        // a GPS fix comes with its accuracy; a pin placed by hand has none and is 'exact'
        ps.setString(i++, f.accuracyM() == null ? "exact" : "gps");
        setDouble(ps, i++, f.accuracyM());
        ps.setString(i++, f.locationText());
        ps.setString(i++, f.description());
        ps.setString(i++, f.reporterName());
        ps.setString(i++, f.reporterContact());
        ps.setString(i++, f.flySize());
        ps.setString(i++, f.flyWasteType());
        ps.setString(i++, f.flyLandType());
        return i;
    }

    private static void setDouble(PreparedStatement ps, int index, Double value) throws SQLException {
        if (value == null) ps.setNull(index, Types.REAL);
        else ps.setDouble(index, value);
    }

    @FunctionalInterface
    private interface Work {
        void run(Connection c) throws SQLException;
    }

    private void inTransaction(String what, Work work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(what + " failed", e);
        }
    }
}
