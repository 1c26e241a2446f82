package aim.incidents;

import aim.db.DatabaseRouter;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The fast path of every incident import: validated rows are streamed with PostgreSQL {@code COPY}
 * into a temporary staging table (dropped at commit); the rows whose key is new become incident rows in a
 * second temporary table (the first row of a key within a file wins, so a re-import adds nothing), and
 * {@code incident_insert_rows} (migrations/V11__incident_partitions.sql) stores them: months that have a
 * partition by an ordinary insert, months that have none as whole new partitions, indexed in bulk and
 * attached, with the same category check, key rows and rollups. Imports of one source run one at a time
 * (a transaction-level advisory lock), so two concurrent imports of the same file cannot both add a key. Coordinates are WGS84 longitude/latitude
 * (SRID 4326, degrees) or British National Grid easting/northing (SRID 27700, metres); PostGIS
 * turns them into EPSG:27700 points. Runs inside the caller's transaction.
 */
final class IncidentImportStaging implements AutoCloseable {
    /** One validated row, ready to stage; {@code occurredAt} is an ISO 8601 timestamp with offset. */
    record Incident(int line, String externalKey, String category, String occurredAt, String occurredPrecision,
                    Double x, Double y, int srid, String locationPrecision, String locationText, String areaCode,
                    String status, String outcome, String description, String flySize, String flyWasteType,
                    String flyLandType) {
    }

    /** What the move into {@code incident} did. */
    record Result(long staged, long imported, long areaOnly) {
    }

    private static final String CREATE = """
            CREATE TEMP TABLE incident_import_staging (
                line               integer NOT NULL,
                external_key       text    NOT NULL,
                category           text    NOT NULL,
                occurred_at        timestamptz NOT NULL,
                occurred_precision text    NOT NULL,
                x                  double precision,
                y                  double precision,
                srid               integer,
                location_precision text    NOT NULL,
                location_text      text,
                area_code          text,
                status             text,
                outcome            text,
                description        text,
                fly_size           text,
                fly_waste_type     text,
                fly_land_type      text
            ) ON COMMIT DROP""";

    private static final String COPY = """
            COPY incident_import_staging (line, external_key, category, occurred_at, occurred_precision, x, y, srid,
                location_precision, location_text, area_code, status, outcome, description, fly_size, fly_waste_type,
                fly_land_type) FROM STDIN (FORMAT text)""";

    /*
     * NOT EXISTS skips keys already stored before any point is transformed (a re-import then costs one
     * anti-join against incident_key); DISTINCT ON keeps the first row (by line) of a key repeated within
     * the file. The sort compares keys byte by byte (COLLATE "C": the same equality as the database's
     * deterministic collation, several times faster to sort). Ids are taken after the sort, so the rows'
     * ids and keys ascend together and the key table's two indexes are filled in order. (Storing the rows in
     * month order instead, so that each month's partition is filled from one stretch of them, cost a second
     * sort of every row, more than it saved: session 7.)
     *
     * Each distinct point is transformed once, into a small table the rows then look up (police.uk snaps
     * every row to one of a fixed set of map points, so a large file repeats each point hundreds of
     * times): the same function on the same coordinates gives the same point as transforming every row.
     */
    private static final String POINTS = """
            CREATE TEMP TABLE incident_import_points ON COMMIT DROP AS
            SELECT x, y, srid, CASE WHEN srid = 27700 THEN ST_SetSRID(ST_MakePoint(x, y), 27700)
                                    ELSE ST_Transform(ST_SetSRID(ST_MakePoint(x, y), 4326), 27700) END AS geom
            FROM (SELECT DISTINCT x, y, srid FROM incident_import_staging WHERE x IS NOT NULL) p""";

    private static final String ROWS = """
            CREATE TEMP TABLE incident_import_rows (LIKE incident INCLUDING DEFAULTS) ON COMMIT DROP""";

    private static final String FILL = """
            INSERT INTO incident_import_rows (id, source, category, occurred_at, occurred_precision, geom, location_precision,
                                              location_text, area_code, status, outcome, description, fly_size, fly_waste_type,
                                              fly_land_type, external_key)
            SELECT nextval('incident_id_seq'), d.* FROM (
                SELECT DISTINCT ON (s.external_key COLLATE "C")
                       ?::text, s.category, s.occurred_at, s.occurred_precision, pt.geom,
                       s.location_precision, s.location_text, s.area_code, coalesce(s.status, 'open'), s.outcome,
                       s.description, s.fly_size, s.fly_waste_type, s.fly_land_type, s.external_key
                FROM incident_import_staging s
                LEFT JOIN incident_import_points pt ON pt.x = s.x AND pt.y = s.y AND pt.srid = s.srid
                WHERE NOT EXISTS (SELECT 1 FROM incident_key k WHERE k.source = ? AND k.external_key = s.external_key)
                ORDER BY s.external_key COLLATE "C", s.line) d""";

    private final Connection connection;
    private final PGCopyOutputStream copy;
    private final Writer out;
    private long staged;
    private boolean copying = true;

    private IncidentImportStaging(Connection connection, PGCopyOutputStream copy) {
        this.connection = connection;
        this.copy = copy;
        this.out = new BufferedWriter(new OutputStreamWriter(copy, StandardCharsets.UTF_8), 1 << 16);
    }

    /** Creates the staging table and starts the COPY; the connection must not be in auto-commit mode. */
    /** Turns one CSV row into an incident, or null when the row is rejected (and reported). */
    interface RowConverter {
        Incident read(IncidentImportCsv.Row row);
    }

    /**
     * Reads every row of {@code csv} through {@code convert} and stores the incidents for
     * {@code source}, all in one transaction: a database failure leaves nothing half-imported.
     */
    static Result importAll(javax.sql.DataSource dataSource, String source, IncidentImportCsv csv, RowConverter convert,
                            IncidentImportTimings timings) throws IOException, SQLException {
        Connection c = dataSource.getConnection();
        boolean roomy = false;
        try (c) {
            c.setAutoCommit(false);
            roomy = roomForTemporaryTables(c);
            try {
                Result result;
                try (IncidentImportStaging staging = start(c)) {
                    long t0 = System.nanoTime();
                    double reading = ReadAhead.send(csv, convert, staging);
                    staging.endCopy();
                    // the two threads overlap: the reading thread's busy time, then the rest of the wall-clock time
                    double both = (System.nanoTime() - t0) / 1e9;
                    timings.add("read and check rows (Java, own thread)", reading);
                    timings.add("send rows, COPY into staging (beyond the reading)", Math.max(0, both - reading));
                    result = staging.finish(source, timings);
                }
                long t0 = System.nanoTime();
                c.commit();
                timings.since("commit", t0);
                return result;
            } catch (IOException | SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } finally {
            // once the connection is back in its pool (evicting one in use would close it under the pool's reset)
            if (roomy) DatabaseRouter.retire(dataSource, c);
        }
    }

    /*
     * The two temporary tables of a large file (about 500 MB for 1,000,000 rows) live in temp_buffers: at the
     * default 8 MB every page went through the operating system's cache, several times. The setting can only be
     * changed before a session first uses a temporary table, so a pooled connection that already has keeps its
     * own (the import is then slower, not wrong). Local buffers are allocated as they are used, and kept until
     * the session ends: importAll retires the connection from its pool afterwards.
     */
    private static final String TEMP_BUFFERS = "1GB";

    /** Raises temp_buffers for this session if it still can; whether it did. */
    private static boolean roomForTemporaryTables(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SAVEPOINT temp_buffers");
            try {
                st.execute("SET temp_buffers = '" + TEMP_BUFFERS + "'");
                st.execute("RELEASE SAVEPOINT temp_buffers");
                return true;
            } catch (SQLException e) {
                if (!"22023".equals(e.getSQLState())) throw e; // invalid_parameter_value: temporary tables already used
                st.execute("ROLLBACK TO SAVEPOINT temp_buffers");
                return false;
            }
        }
    }


    static IncidentImportStaging start(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute(CREATE);
        }
        PGConnection pg = connection.unwrap(PGConnection.class);
        return new IncidentImportStaging(connection, new PGCopyOutputStream(pg, COPY, 1 << 16));
    }

    void add(Incident i) throws IOException {
        out.write(Integer.toString(i.line()));
        field(i.externalKey());
        field(i.category());
        field(i.occurredAt());
        field(i.occurredPrecision());
        field(i.x() == null ? null : Double.toString(i.x()));
        field(i.y() == null ? null : Double.toString(i.y()));
        field(i.x() == null ? null : Integer.toString(i.srid()));
        field(i.locationPrecision());
        field(i.locationText());
        field(i.areaCode());
        field(i.status());
        field(i.outcome());
        field(i.description());
        field(i.flySize());
        field(i.flyWasteType());
        field(i.flyLandType());
        out.write('\n');
        staged++;
    }

    /** Ends the COPY. */
    void endCopy() throws IOException, SQLException {
        out.flush();
        copying = false;
        copy.endCopy();
    }

    /** Moves the staged rows into {@code incident} for {@code source} (after {@link #endCopy()}). */
    Result finish(String source, IncidentImportTimings timings) throws SQLException {
        long t = System.nanoTime();
        try (Statement st = connection.createStatement()) {
            // temporary tables are never analysed automatically: give the planner the row count, so that
            // a small file probes the unique index and a large one hash-joins
            st.execute("ANALYZE incident_import_staging (external_key, x, y)");
            // PostGIS functions look expensive to the planner, which would JIT-compile every import: not worth it
            st.execute("SET LOCAL jit = off");
            // the sort by key below stays in memory (the default 4 MB spills a 100k-row file to disk; 256 MB: more of
            // a 1,000,000-row file); one import of a source runs at a time
            st.execute("SET LOCAL work_mem = '256MB'");
        }
        try (PreparedStatement lock = connection.prepareStatement(
                "SELECT pg_advisory_xact_lock(hashtext('incident import'), hashtext(?))")) {
            // one import of a source at a time: a key is looked up in incident_key, then added by this transaction
            lock.setString(1, source);
            lock.execute();
        }
        t = timings.since("analyse staging, lock", t);
        try (Statement st = connection.createStatement()) {
            st.execute(POINTS);
            // the planner then hashes the few points, not the many rows
            st.execute("ANALYZE incident_import_points");
            st.execute(ROWS);
        }
        try (PreparedStatement fill = connection.prepareStatement(FILL)) {
            fill.setString(1, source);
            fill.setString(2, source);
            fill.executeUpdate();
        }
        t = timings.since("new keys, points (staging to rows)", t);
        try (Statement st = connection.createStatement()) {
            // incident_insert_rows reads the rows month by month
            // incident_insert_rows runs as incident's owner (the serving role may not create partitions): let it read the rows
            st.execute("GRANT SELECT ON incident_import_rows TO PUBLIC");
            st.execute("CREATE INDEX ON incident_import_rows (occurred_at)");
            st.execute("ANALYZE incident_import_rows (occurred_at)");
            t = timings.since("index rows by month", t);
            try (ResultSet rs = st.executeQuery("SELECT step, seconds FROM incident_insert_rows('incident_import_rows')")) {
                while (rs.next()) timings.add(rs.getString(1), rs.getDouble(2));
            }
            t = System.nanoTime();
            try (ResultSet rs = st.executeQuery("SELECT count(*), count(*) FILTER (WHERE geom IS NULL) FROM incident_import_rows")) {
                rs.next();
                timings.since("count", t);
                return new Result(staged, rs.getLong(1), rs.getLong(2));
            }
        }
    }

    /** Abandons an unfinished COPY so that the caller can roll back. */
    @Override
    public void close() {
        if (!copying) return;
        copying = false;
        try {
            copy.cancelCopy();
        } catch (SQLException ignored) {
            // the connection is rolled back (or discarded) by the caller anyway
        }
    }

    /** A tab and a value in COPY text format: backslash escapes, {@code \N} for NULL, NUL characters dropped. */
    private void field(String value) throws IOException {
        out.write('\t');
        if (value == null) {
            out.write("\\N");
            return;
        }
        int n = value.length();
        boolean plain = true;
        for (int k = 0; k < n && plain; k++) {
            char ch = value.charAt(k);
            plain = ch != '\\' && ch != '\t' && ch != '\n' && ch != '\r' && ch != 0;
        }
        if (plain) {
            out.write(value);
            return;
        }
        for (int k = 0; k < n; k++) {
            char ch = value.charAt(k);
            switch (ch) {
                case '\\' -> out.write("\\\\");
                case '\t' -> out.write("\\t");
                case '\n' -> out.write("\\n");
                case '\r' -> out.write("\\r");
                case 0 -> { } // PostgreSQL text cannot hold NUL: dropped
                default -> out.write(ch);
            }
        }
    }
}
