package aim.boundaries;

import aim.core.DomainException;
import aim.core.Issue;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stores a neighbourhood version: each neighbourhood's geometry is the PostGIS union of its wards in
 * the chosen ward version, and its membership is kept so populations and incidents roll up. All or
 * nothing: an unknown ward or a ward in two neighbourhoods rejects the whole definition.
 */
public final class NeighbourhoodBuilder {
    private final DataSource dataSource;
    private final BoundaryRepository boundaries;
    private final Clock clock;

    /** A builder whose default valid-from is today on the system clock (UTC). */
    public NeighbourhoodBuilder(DataSource dataSource, BoundaryRepository boundaries) {
        this(dataSource, boundaries, Clock.systemUTC());
    }

    /** {@code clock} says what "today" is, the default valid-from. */
    public NeighbourhoodBuilder(DataSource dataSource, BoundaryRepository boundaries, Clock clock) {
        this.dataSource = dataSource;
        this.boundaries = boundaries;
        this.clock = clock;
    }

    public NeighbourhoodImportReport define(String version, String wardVersion, LocalDate validFrom,
                                            List<NeighbourhoodDefinition> neighbourhoods, boolean replace, boolean demo) {
        BoundaryImporter.checkVersion(version);
        BoundarySet wardSet = BoundaryVersions.one(boundaries, BoundaryLevel.WARD, wardVersion);
        if (neighbourhoods.isEmpty()) {
            throw DomainException.rejected("neighbourhoods", "no neighbourhoods given", List.of());
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                NeighbourhoodImportReport report = store(c, version, wardSet, validFrom, neighbourhoods, replace, demo);
                c.commit();
                return report;
            } catch (RuntimeException | SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("defining neighbourhoods failed", e);
        }
    }

    private NeighbourhoodImportReport store(Connection c, String version, BoundarySet wardSet, LocalDate validFrom,
                                            List<NeighbourhoodDefinition> neighbourhoods, boolean replace, boolean demo)
            throws SQLException {
        Map<String, Long> wardIds = BoundarySets.idsByCode(c, wardSet.id());
        List<Issue> issues = new ArrayList<>();
        Map<String, String> assigned = new HashMap<>();
        Map<String, NeighbourhoodDefinition> byCode = new LinkedHashMap<>();
        int index = 0;
        for (NeighbourhoodDefinition n : neighbourhoods) {
            String where = "neighbourhood " + (++index);
            if (n.code() == null || n.code().isBlank() || n.name() == null || n.name().isBlank()) {
                issues.add(Issue.error(where, "code", "a neighbourhood needs a code and a name"));
                continue;
            }
            if (byCode.put(n.code(), n) != null) {
                issues.add(Issue.error(where, "code", "neighbourhood code " + n.code() + " appears twice"));
            }
            if (n.wards() == null || n.wards().isEmpty()) {
                issues.add(Issue.error(where, "wards", "neighbourhood " + n.code() + " has no wards"));
                continue;
            }
            for (String ward : n.wards()) {
                if (!wardIds.containsKey(ward)) {
                    issues.add(Issue.error(where, "wards", "ward " + ward + " is not in ward version " + wardSet.version()));
                } else if (assigned.containsKey(ward)) {
                    issues.add(Issue.error(where, "wards", "ward " + ward + " is already in neighbourhood " + assigned.get(ward)));
                } else {
                    assigned.put(ward, n.code());
                }
            }
        }
        if (!issues.isEmpty()) {
            throw DomainException.rejected("neighbourhoods", issues.size() + " problem(s); no neighbourhoods were stored", issues);
        }

        BoundarySets.lockLevel(c, BoundaryLevel.NEIGHBOURHOOD);
        Long existing = BoundarySets.findId(c, BoundaryLevel.NEIGHBOURHOOD, version);
        if (existing != null) {
            if (!replace) {
                throw DomainException.conflict("version", "neighbourhood version '" + version + "' already exists");
            }
            BoundarySets.delete(c, existing, BoundaryLevel.NEIGHBOURHOOD, version);
        }
        long setId;
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO boundary_set (level, version, valid_from, based_on, demo, attribution, source)
                SELECT 'neighbourhood', ?, ?, id, ?, attribution, 'wards of ' || version FROM boundary_set WHERE id = ?
                RETURNING id""")) {
            ps.setString(1, version);
            ps.setDate(2, Date.valueOf(validFrom != null ? validFrom : LocalDate.now(clock)));
            ps.setBoolean(3, demo || wardSet.demo());
            ps.setLong(4, wardSet.id());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                setId = rs.getLong(1);
            }
        }
        try (PreparedStatement insert = c.prepareStatement("""
                WITH n AS (
                    INSERT INTO boundary (set_id, code, name, geom)
                    SELECT ?, ?, ?, ST_Multi(ST_Union(geom)) FROM boundary WHERE id = ANY (?)
                    RETURNING id)
                INSERT INTO neighbourhood_ward (neighbourhood_id, ward_id)
                SELECT n.id, w FROM n, unnest(?::bigint[]) AS w""")) {
            for (NeighbourhoodDefinition n : neighbourhoods) {
                Array ids = c.createArrayOf("bigint", n.wards().stream().map(wardIds::get).toArray());
                insert.setLong(1, setId);
                insert.setString(2, n.code());
                insert.setString(3, n.name());
                insert.setArray(4, ids);
                insert.setArray(5, ids);
                insert.addBatch();
            }
            insert.executeBatch();
        }
        BoundarySets.touch(c, setId);
        BoundarySets.assignIncidents(c, setId);
        List<String> unassigned = wardIds.keySet().stream().filter(w -> !assigned.containsKey(w)).sorted().toList();
        List<Issue> warnings = unassigned.stream()
                .map(w -> new Issue("warning", null, null, "ward " + w, "wards", "ward " + w + " is in no neighbourhood", null)).toList();
        return new NeighbourhoodImportReport(version, wardSet.version(), neighbourhoods.size(), assigned.size(), unassigned, warnings);
    }

}
