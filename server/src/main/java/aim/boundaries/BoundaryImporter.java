package aim.boundaries;

import aim.core.DomainException;
import aim.core.Issue;
import org.locationtech.jts.io.WKBWriter;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Imports a boundary file (GeoJSON or GeoPackage) as a new version of a level. All or nothing: every
 * feature is checked, and if any is rejected nothing is stored and the problem lists them all.
 * Geometries are transformed to EPSG:27700 by PostGIS.
 */
public final class BoundaryImporter {
    static final Pattern VERSION = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$");
    static final String ONS_ATTRIBUTION = "Contains National Statistics data © Crown copyright and database right; "
            + "contains OS data © Crown copyright and database right";
    private static final int BATCH = 500;

    private static final String INSERT_SET = """
            INSERT INTO boundary_set (level, version, valid_from, valid_to, demo, attribution, source)
            VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id""";
    private static final String INSERT_BOUNDARY = """
            INSERT INTO boundary (set_id, code, name, geom)
            VALUES (?, ?, ?, ST_Multi(ST_CollectionExtract(ST_MakeValid(
                    ST_Transform(ST_GeomFromWKB(?, ?), 27700)), 3)))""";

    private final DataSource dataSource;
    private final Clock clock;

    /** An importer whose default valid-from is today on the system clock (UTC). */
    public BoundaryImporter(DataSource dataSource) {
        this(dataSource, Clock.systemUTC());
    }

    /** {@code clock} says what "today" is: the default valid-from and the fallback version name. */
    public BoundaryImporter(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    public BoundaryImportReport importFile(Path file, BoundaryImportOptions options) throws IOException {
        if (options.level() == BoundaryLevel.NEIGHBOURHOOD) {
            throw DomainException.invalid("level", "neighbourhoods are groups of wards: define them with a ward-to-neighbourhood mapping, not a boundary file");
        }
        try (BoundaryFileReader reader = BoundaryFileReader.open(file, options.srid())) {
            OnsFieldNames.Detected fields = fields(reader, options);
            String version = options.version() != null ? options.version()
                    : fields.onsYear() != null ? "ons-20" + fields.onsYear() : versionFromFileName(file);
            checkVersion(version);
            LocalDate validFrom = options.validFrom() != null ? options.validFrom() : LocalDate.now(clock);
            if (options.validTo() != null && !options.validTo().isAfter(validFrom)) {
                throw DomainException.invalid("valid-to", "valid-to must be after valid-from (" + validFrom + ")");
            }
            String attribution = options.attribution() != null ? options.attribution()
                    : fields.onsYear() != null ? ONS_ATTRIBUTION : null;
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    BoundaryImportReport report = store(c, reader, options, fields, version, validFrom, attribution, file);
                    c.commit();
                    return report;
                } catch (RuntimeException | IOException | SQLException e) {
                    c.rollback();
                    throw e;
                }
            } catch (SQLException e) {
                throw new IllegalStateException("boundary import failed in the database", e);
            }
        }
    }

    private BoundaryImportReport store(Connection c, BoundaryFileReader reader, BoundaryImportOptions options,
                                       OnsFieldNames.Detected fields, String version, LocalDate validFrom,
                                       String attribution, Path file) throws SQLException, IOException {
        BoundarySets.lockLevel(c, options.level());
        Long existing = BoundarySets.findId(c, options.level(), version);
        if (existing != null) {
            if (!options.replace()) {
                throw DomainException.conflict("version", options.level().id() + " version '" + version
                        + "' already exists; choose another version name or replace it explicitly");
            }
            BoundarySets.delete(c, existing, options.level(), version);
        }
        long setId;
        try (PreparedStatement ps = c.prepareStatement(INSERT_SET)) {
            ps.setString(1, options.level().id());
            ps.setString(2, version);
            ps.setDate(3, Date.valueOf(validFrom));
            ps.setDate(4, options.validTo() == null ? null : Date.valueOf(options.validTo()));
            ps.setBoolean(5, options.demo());
            ps.setString(6, attribution);
            ps.setString(7, file.getFileName().toString());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                setId = rs.getLong(1);
            }
        }

        List<Issue> issues = new ArrayList<>();
        Set<String> codes = new HashSet<>();
        int[] counts = new int[3]; // read, imported, repaired
        WKBWriter wkb = new WKBWriter();
        try (PreparedStatement insert = c.prepareStatement(INSERT_BOUNDARY)) {
            reader.forEach(feature -> {
                counts[0]++;
                var result = BoundaryFeatureCheck.check(feature, reader.srid(), fields.codeField(), fields.nameField());
                issues.addAll(result.issues());
                if (result.issues().stream().anyMatch(i -> "repaired".equals(i.severity()))) counts[2]++;
                if (result.code() != null && !codes.add(result.code())) {
                    issues.add(Issue.error("feature " + feature.index(), fields.codeField(),
                            "duplicate code " + result.code() + ": each area must appear once"));
                    return;
                }
                if (!result.accepted()) return;
                try {
                    insert.setLong(1, setId);
                    insert.setString(2, result.code());
                    insert.setString(3, result.name());
                    insert.setBytes(4, wkb.write(result.geometry()));
                    insert.setInt(5, reader.srid());
                    insert.addBatch();
                    if (++counts[1] % BATCH == 0) insert.executeBatch();
                } catch (SQLException e) {
                    throw new UncheckedIOException(new IOException(e));
                }
            });
            insert.executeBatch();
        } catch (UncheckedIOException e) {
            if (e.getCause().getCause() instanceof SQLException sql) throw sql;
            throw e.getCause();
        }

        long rejected = issues.stream().filter(Issue::isError).count();
        if (rejected > 0) {
            throw DomainException.rejected("file", rejected + " problem(s) in " + counts[0]
                    + " features; nothing was imported", issues);
        }
        if (counts[0] == 0) {
            throw DomainException.rejected("file", "the file has no features; nothing was imported", List.of());
        }
        BoundarySets.touch(c, setId);
        BoundarySets.assignIncidents(c, setId);
        return new BoundaryImportReport(options.level().id(), version, reader.srid(), fields.codeField(),
                fields.nameField(), counts[0], counts[1], counts[2], issues);
    }

    private static OnsFieldNames.Detected fields(BoundaryFileReader reader, BoundaryImportOptions options) {
        List<String> available = reader.fieldNames();
        if (options.codeField() != null || options.nameField() != null) {
            if (options.codeField() == null || options.nameField() == null) {
                throw DomainException.invalid(options.codeField() == null ? "code-field" : "name-field",
                        "give both code-field and name-field, or neither to detect them");
            }
            for (String[] f : List.of(new String[]{"code-field", options.codeField()}, new String[]{"name-field", options.nameField()})) {
                if (!available.contains(f[1])) {
                    throw DomainException.rejected(f[0], "the file has no field '" + f[1] + "'; its fields are " + available, List.of());
                }
            }
            return new OnsFieldNames.Detected(options.codeField(), options.nameField(), null);
        }
        return OnsFieldNames.detect(available, options.level()).orElseThrow(() -> DomainException.rejected("code-field",
                "no recognisable code and name fields among " + available
                        + ": name them with code-field and name-field", List.of()));
    }

    static void checkVersion(String version) {
        if (version == null || !VERSION.matcher(version).matches()) {
            throw DomainException.invalid("version", "version must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
    }

    private String versionFromFileName(Path file) {
        String stem = file.getFileName().toString().replaceFirst("\\.[^.]*$", "").toLowerCase(Locale.ROOT);
        String cleaned = stem.replaceAll("[^a-z0-9._-]+", "-").replaceAll("^[^a-z0-9]+", "");
        return cleaned.isEmpty() ? "import-" + LocalDate.now(clock) : cleaned.substring(0, Math.min(64, cleaned.length()));
    }
}
