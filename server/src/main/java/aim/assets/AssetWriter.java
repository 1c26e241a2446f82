package aim.assets;

import aim.core.DomainException;
import aim.accounts.User;
import aim.boundaries.BoundaryRepository;
import aim.boundaries.BoundarySet;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.io.WKBWriter;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Creates, replaces and retires assets after the checks that need the database: the category exists
 * (else invalid), service-area wards are wards of the current set (else invalid), and the geometry lies at
 * least partly inside the council area, the union of the current ward set (else rejected, "outside the
 * council area"). Geometries are transformed to EPSG:27700 by PostGIS. People assets may be written only by
 * roles that may read them (admin, analyst); for others it is forbidden.
 */
public final class AssetWriter {
    private final java.time.Clock clock;
    private static final String UPSERT = """
            INSERT INTO asset (uid, kind, category, name, description, organisation_id, geom, address, venue, url, email, phone,
                               status, fees, referral, attending_type, attending_access, deliverable_type, contacts, schedules,
                               eligibility, cost_options, languages, service_area_wards, service_area_geom, service_area_name,
                               last_checked, demo, source, created_by, updated_by)
            VALUES (coalesce(?, gen_random_uuid()), ?, ?, ?, ?, ?, ST_Transform(ST_GeomFromWKB(?, ?), 27700), ?::jsonb, ?, ?, ?, ?,
                    coalesce(?, 'active'), ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?::jsonb, ?::text[], ?::text[],
                    ST_Multi(ST_Transform(ST_GeomFromWKB(?, ?), 27700)), ?, coalesce(?, current_date), ?, ?, ?, ?)
            ON CONFLICT (uid) DO UPDATE SET
                kind = excluded.kind, category = excluded.category, name = excluded.name, description = excluded.description,
                organisation_id = excluded.organisation_id, geom = excluded.geom, address = excluded.address, venue = excluded.venue,
                url = excluded.url, email = excluded.email, phone = excluded.phone, status = excluded.status, fees = excluded.fees,
                referral = excluded.referral, attending_type = excluded.attending_type, attending_access = excluded.attending_access,
                deliverable_type = excluded.deliverable_type, contacts = excluded.contacts, schedules = excluded.schedules,
                eligibility = excluded.eligibility, cost_options = excluded.cost_options, languages = excluded.languages,
                service_area_wards = excluded.service_area_wards, service_area_geom = excluded.service_area_geom,
                service_area_name = excluded.service_area_name, last_checked = excluded.last_checked,
                demo = excluded.demo, source = coalesce(excluded.source, asset.source),
                updated_at = now(), updated_by = excluded.updated_by,
                retired_at = CASE WHEN ? THEN NULL ELSE asset.retired_at END,
                retired_by = CASE WHEN ? THEN NULL ELSE asset.retired_by END
            RETURNING id""";

    private final DataSource dataSource;
    private final BoundaryRepository boundaries;
    private final AssetCategories categories;
    private final ObjectMapper json = aim.core.Json.mapper();

    public AssetWriter(DataSource dataSource, BoundaryRepository boundaries, AssetCategories categories) {
        this(dataSource, boundaries, categories, java.time.Clock.systemUTC());
    }

    /** {@code clock} tells today's date (in the council's zone) for the "last checked is not in the future" rule. */
    public AssetWriter(DataSource dataSource, BoundaryRepository boundaries, AssetCategories categories, java.time.Clock clock) {
        this.clock = clock;
        this.dataSource = dataSource;
        this.boundaries = boundaries;
        this.categories = categories;
    }

    /** Stores a new asset from a request body; returns its id. */
    public long create(AssetInput input, User user) {
        AssetDraft draft = AssetDraft.of(input, null, "api", false, "", today()).orElseThrow(UnaryOperator.identity());
        requireMayWrite(draft.kind(), user);
        Lookups lookups = lookups();
        return inTransaction(c -> save(c, lookups, draft, user, false, UnaryOperator.identity()));
    }

    /** Replaces asset {@code id} with a request body (the uid and history are kept); not found when there is none. */
    public long replace(long id, AssetInput input, User user) {
        Lookups lookups = lookups();
        return inTransaction(c -> {
            Stored existing = stored(c, id).orElseThrow(() -> DomainException.notFound("id", "no asset " + id));
            requireMayWrite(existing.kind(), user);
            AssetDraft draft = AssetDraft.of(input, existing.uid(), existing.source(), existing.demo(), "", today())
                    .orElseThrow(UnaryOperator.identity());
            requireMayWrite(draft.kind(), user);
            return save(c, lookups, draft, user, false, UnaryOperator.identity());
        });
    }

    /** Retires asset {@code id} (DELETE): it stays stored with {@code retired_at} set; true if it was not retired before. */
    public boolean retire(long id, User user) {
        return inTransaction(c -> {
            Stored existing = stored(c, id).orElseThrow(() -> DomainException.notFound("id", "no asset " + id));
            requireMayWrite(existing.kind(), user);
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE asset SET retired_at = now(), retired_by = ? WHERE id = ? AND retired_at IS NULL")) {
                ps.setObject(1, user == null ? null : user.id());
                ps.setLong(2, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    static void requireMayWrite(AssetKind kind, User user) {
        if (kind == AssetKind.PEOPLE && user != null && !AssetKind.peopleVisibleTo(user.role())) {
            throw DomainException.forbidden("kind", "people assets hold personal data: only admins and analysts may read or change them");
        }
    }

    /** The current ward set, whose union is the council area; a conflict when no wards are loaded. */
    BoundarySet wardSet() {
        return currentWards().orElseThrow(AssetWriter::noWards);
    }

    private Optional<BoundarySet> currentWards() {
        return CouncilWards.current(boundaries);
    }

    private static DomainException noWards() {
        return DomainException.conflict("geometry", "no current ward boundaries are loaded, so the council area is unknown: import the wards first");
    }

    /**
     * What {@link #save} checks a draft against, read before its transaction so that the transaction's
     * connection is the only one the request holds: the categories, and the current ward set (null when
     * none is loaded).
     */
    record Lookups(List<AssetCategories.Category> categories, BoundarySet wards) {
    }

    Lookups lookups() {
        return new Lookups(categories.all(), currentWards().orElse(null));
    }

    /**
     * Checks a draft against the database and upserts it by uid inside the caller's transaction. {@code fieldName}
     * turns the AIM member at fault ("geometry", "category"…) into the field a failure names (e.g. the member of
     * the fourth service of an Open Referral import).
     */
    long save(Connection c, Lookups lookups, AssetDraft d, User user, boolean unretire, UnaryOperator<String> fieldName)
            throws SQLException {
        AssetInput in = d.input();
        AssetCategories.require(lookups.categories(), in.category(), fieldName.apply("category"));
        BoundarySet wards = lookups.wards();
        if (wards == null) throw noWards();
        if (d.geometry() != null && !insideCouncilArea(c, d.geometry(), wards)) {
            throw DomainException.rejected(fieldName.apply("geometry"), "the geometry is outside the council area (the "
                    + wards.version() + " wards)", List.of());
        }
        List<String> areaWards = d.serviceAreaWards();
        List<String> unknown = unknownWards(c, wards, areaWards);
        if (!unknown.isEmpty()) {
            int index = areaWards.indexOf(unknown.get(0));
            throw DomainException.invalid(fieldName.apply("service_area.wards[" + index + "]"), "no ward '" + unknown.get(0)
                    + "' in the current ward version " + wards.version());
        }
        Long organisation = in.organisation() == null ? null : Organisations.resolve(c, in.organisation());
        WKBWriter wkb = new WKBWriter();
        try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
            int i = 1;
            ps.setObject(i++, d.uid());
            ps.setString(i++, d.kind().id());
            ps.setString(i++, in.category().trim());
            ps.setString(i++, in.name().trim());
            ps.setString(i++, blankToNull(in.description()));
            ps.setObject(i++, organisation);
            i = setGeometry(ps, i, d.geometry(), wkb);
            ps.setString(i++, in.address() == null || isEmpty(in.address()) ? null : toJson(in.address()));
            for (String v : new String[]{in.venue(), in.url(), in.email(), in.phone(), in.status(), in.fees(), in.referral(),
                    in.attendingType(), in.attendingAccess(), in.deliverableType()}) {
                ps.setString(i++, blankToNull(v));
            }
            ps.setString(i++, toJson(in.contactsOrEmpty()));
            ps.setString(i++, toJson(in.schedulesOrEmpty()));
            ps.setString(i++, toJson(in.eligibilityOrEmpty()));
            ps.setString(i++, toJson(in.costOptionsOrEmpty()));
            ps.setArray(i++, c.createArrayOf("text", in.languagesOrEmpty().stream().map(String::trim).toArray()));
            ps.setArray(i++, c.createArrayOf("text", areaWards.toArray()));
            i = setGeometry(ps, i, d.serviceArea(), wkb);
            ps.setString(i++, in.serviceArea() == null ? null : blankToNull(in.serviceArea().name()));
            ps.setObject(i++, in.lastChecked());
            ps.setBoolean(i++, d.demo());
            ps.setString(i++, d.source());
            ps.setObject(i++, user == null ? null : user.id());
            ps.setObject(i++, user == null ? null : user.id());
            ps.setBoolean(i++, unretire);
            ps.setBoolean(i, unretire);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            // a polygon valid in WGS84 may fail the stored-geometry checks after transformation
            if ("23514".equals(e.getSQLState())) {
                throw DomainException.rejected(fieldName.apply("geometry"), "the geometry is not valid in British National Grid: " + e.getMessage(), List.of());
            }
            throw e;
        }
    }

    private static int setGeometry(PreparedStatement ps, int i, Geometry g, WKBWriter wkb) throws SQLException {
        if (g == null) ps.setNull(i, Types.BINARY);
        else ps.setBytes(i, wkb.write(g));
        ps.setInt(i + 1, g == null || g.getSRID() == 0 ? GeoJsonGeometry.WGS84 : g.getSRID());
        return i + 2;
    }

    private static boolean insideCouncilArea(Connection c, Geometry g, BoundarySet wards) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT EXISTS (SELECT 1 FROM boundary b WHERE b.set_id = ?
                               AND ST_Intersects(b.geom, ST_Transform(ST_GeomFromWKB(?, ?), 27700)))""")) {
            ps.setLong(1, wards.id());
            ps.setBytes(2, new WKBWriter().write(g));
            ps.setInt(3, g.getSRID() == 0 ? GeoJsonGeometry.WGS84 : g.getSRID());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static List<String> unknownWards(Connection c, BoundarySet wards, List<String> codes) throws SQLException {
        if (codes.isEmpty()) return List.of();
        List<String> unknown = new ArrayList<>(codes);
        try (PreparedStatement ps = c.prepareStatement("SELECT code FROM boundary WHERE set_id = ? AND code = ANY (?::text[])")) {
            ps.setLong(1, wards.id());
            ps.setArray(2, c.createArrayOf("text", codes.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) unknown.remove(rs.getString(1));
            }
        }
        return unknown;
    }

    record Stored(long id, UUID uid, AssetKind kind, String source, boolean demo) {
    }

    static Optional<Stored> stored(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, uid, kind, source, demo FROM asset WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                return Optional.of(new Stored(rs.getLong(1), rs.getObject(2, UUID.class), AssetKind.parse(rs.getString(3), "kind"),
                        rs.getString(4), rs.getBoolean(5)));
            }
        }
    }

    /** The kind of asset {@code id}, if it exists. */
    public Optional<AssetKind> kindOf(long id) {
        try (Connection c = dataSource.getConnection()) {
            return stored(c, id).map(Stored::kind);
        } catch (SQLException e) {
            throw new IllegalStateException("reading asset " + id + " failed", e);
        }
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isEmpty(AssetInput.Address a) {
        return a.address1() == null && a.city() == null && a.stateProvince() == null && a.postalCode() == null && a.country() == null;
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    <T> T inTransaction(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (RuntimeException | SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("storing the asset failed", e);
        }
    }

    /** Today in the council's time zone. */
    java.time.LocalDate today() {
        return java.time.LocalDate.now(clock.withZone(aim.core.Council.UK));
    }
}
