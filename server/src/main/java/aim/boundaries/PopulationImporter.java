package aim.boundaries;

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
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Populations per area, from a CSV of (code, population, year), and apportioned from small areas
 * (LSOA) to wards when only small-area figures exist. Good rows are kept; each bad row is reported
 * with its line number. A neighbourhood's population is the sum of its wards (see the
 * {@code latest_population} view), so it needs no import of its own.
 */
public final class PopulationImporter {
    /** The years a population figure may be for. */
    public static final int MIN_YEAR = 1800, MAX_YEAR = 2200;
    private static final int MAX_UNMATCHED_EXAMPLES = 10;

    private final DataSource dataSource;
    private final BoundaryRepository boundaries;

    public PopulationImporter(DataSource dataSource, BoundaryRepository boundaries) {
        this.dataSource = dataSource;
        this.boundaries = boundaries;
    }

    /** Column names to use; null = detect ({@code code}/{@code geography code}/ONS {@code …CD}, {@code population}/{@code … usual residents …}, {@code year}). */
    public record Columns(String code, String population, String year) {
    }

    public PopulationImportReport importCsv(Reader in, BoundaryLevel level, String version, Integer year, Columns columns)
            throws IOException {
        if (level == BoundaryLevel.NEIGHBOURHOOD) {
            throw DomainException.invalid("level", "neighbourhood populations are the sums of their wards: import ward populations");
        }
        if (year != null && (year < MIN_YEAR || year > MAX_YEAR)) throw DomainException.invalid("year", "year must be from 1800 to 2200");
        BoundarySet set = BoundaryVersions.one(boundaries, level, version);
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true)
                .setIgnoreEmptyLines(true).build();
        try (CSVParser csv = CSVParser.parse(in, format); Connection c = dataSource.getConnection()) {
            List<String> headers = csv.getHeaderNames();
            String codeColumn = pick(headers, columns.code(), "code-field", List.of("code", "geography code", "area code"), "(?i)^[a-z]{2,6}\\d{2}cd$");
            String popColumn = pick(headers, columns.population(), "population-field", List.of("population", "count", "value"), "(?i).*usual residents.*");
            String yearColumn = columns.year() != null ? pick(headers, columns.year(), "year-field", List.of(), null)
                    : headers.stream().filter(h -> h.equalsIgnoreCase("year") || h.equalsIgnoreCase("date")).findFirst().orElse(null);
            if (yearColumn == null && year == null) {
                throw DomainException.invalid("year", "the file has no year column: give the year of the figures");
            }
            Map<String, Long> ids = BoundarySets.idsByCode(c, set.id());
            c.setAutoCommit(false);
            List<Issue> issues = new ArrayList<>();
            List<String> unmatchedExamples = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            int read = 0, imported = 0, unmatched = 0;
            try (PreparedStatement upsert = c.prepareStatement("""
                    INSERT INTO population (boundary_id, year, population, method, source) VALUES (?, ?, ?, 'imported', ?)
                    ON CONFLICT (boundary_id, year) DO UPDATE
                    SET population = excluded.population, method = excluded.method, source = excluded.source""")) {
                for (CSVRecord row : csv) {
                    read++;
                    String where = "line " + (row.getRecordNumber() + 1);
                    if (!row.isConsistent()) {
                        issues.add(Issue.error(where, null, "expected " + headers.size() + " columns, found " + row.size()));
                        continue;
                    }
                    String code = row.get(codeColumn);
                    Integer population = wholeNumber(row.get(popColumn));
                    Integer rowYear = yearColumn == null ? year : yearOf(row.get(yearColumn));
                    if (code.isEmpty()) {
                        issues.add(Issue.error(where, codeColumn, "the area code is empty"));
                    } else if (population == null || population < 0) {
                        issues.add(Issue.error(where, popColumn, "population '" + row.get(popColumn) + "' is not a whole number ≥ 0"));
                    } else if (rowYear == null) {
                        issues.add(Issue.error(where, yearColumn, "year '" + row.get(yearColumn) + "' is not a year from 1800 to 2200"));
                    } else if (!ids.containsKey(code)) {
                        unmatched++;
                        if (unmatchedExamples.size() < MAX_UNMATCHED_EXAMPLES) unmatchedExamples.add(code);
                    } else if (!seen.add(code + "/" + rowYear)) {
                        issues.add(Issue.error(where, codeColumn, "a second figure for " + code + " in " + rowYear));
                    } else {
                        upsert.setLong(1, ids.get(code));
                        upsert.setInt(2, rowYear);
                        upsert.setInt(3, population);
                        upsert.setString(4, "csv import");
                        upsert.addBatch();
                        imported++;
                    }
                }
                upsert.executeBatch();
                BoundarySets.touch(c, set.id());
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
            return new PopulationImportReport(level.id(), set.version(), read, imported, issues.size(), unmatched,
                    unmatchedExamples, issues);
        } catch (SQLException e) {
            throw new IllegalStateException("population import failed", e);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw DomainException.rejected("file", "malformed CSV: " + e.getMessage(), List.of());
        }
    }

    /** Result of apportioning: how many areas got a figure, and the totals before and after. */
    public record ApportionReport(String level, String version, String fromVersion, int year, int areas,
                                  long smallAreaPopulation, long apportionedPopulation) {
    }

    /**
     * Gives each area of {@code level}/{@code version} a population apportioned from the LSOA set
     * {@code fromVersion}: every LSOA's population is shared among the areas it overlaps in
     * proportion to the overlapping area (areal weighting, assuming even spread within an LSOA).
     * Figures imported directly are never overwritten.
     */
    public ApportionReport apportionFromLsoa(BoundaryLevel level, String version, String fromVersion, Integer year) {
        if (level != BoundaryLevel.WARD && level != BoundaryLevel.ZONE) {
            throw DomainException.invalid("level", "apportion to ward or zone; neighbourhoods sum their wards");
        }
        BoundarySet target = BoundaryVersions.one(boundaries, level, version);
        BoundarySet lsoa = BoundaryVersions.one(boundaries, BoundaryLevel.LSOA, fromVersion);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                int chosenYear = year != null ? year : latestYear(c, lsoa.id());
                int areas;
                try (PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO population (boundary_id, year, population, method, source)
                        SELECT t.id, p.year,
                               round(sum(p.population * ST_Area(ST_Intersection(t.geom, l.geom)) / NULLIF(l.area_m2, 0)))::integer,
                               'apportioned', 'LSOA ' || ? || ' by area share'
                        FROM boundary t
                        JOIN boundary l ON l.set_id = ? AND ST_Intersects(t.geom, l.geom)
                        JOIN population p ON p.boundary_id = l.id AND p.year = ?
                        WHERE t.set_id = ?
                        GROUP BY t.id, p.year
                        ON CONFLICT (boundary_id, year) DO UPDATE
                        SET population = excluded.population, source = excluded.source
                        WHERE population.method = 'apportioned'""")) {
                    ps.setString(1, lsoa.version());
                    ps.setLong(2, lsoa.id());
                    ps.setInt(3, chosenYear);
                    ps.setLong(4, target.id());
                    areas = ps.executeUpdate();
                }
                long[] totals = totals(c, lsoa.id(), target.id(), chosenYear);
                BoundarySets.touch(c, target.id());
                c.commit();
                return new ApportionReport(level.id(), target.version(), lsoa.version(), chosenYear, areas, totals[0], totals[1]);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("apportioning population failed", e);
        }
    }

    private static int latestYear(Connection c, long setId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT max(p.year) FROM population p JOIN boundary b ON b.id = p.boundary_id WHERE b.set_id = ?")) {
            ps.setLong(1, setId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                int y = rs.getInt(1);
                if (rs.wasNull()) throw DomainException.rejected("from-version", "the LSOA set has no populations: import them first", List.of());
                return y;
            }
        }
    }

    private static long[] totals(Connection c, long lsoaSet, long targetSet, int year) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT (SELECT coalesce(sum(p.population), 0) FROM population p JOIN boundary b ON b.id = p.boundary_id
                        WHERE b.set_id = ? AND p.year = ?),
                       (SELECT coalesce(sum(p.population), 0) FROM population p JOIN boundary b ON b.id = p.boundary_id
                        WHERE b.set_id = ? AND p.year = ?)""")) {
            ps.setLong(1, lsoaSet);
            ps.setInt(2, year);
            ps.setLong(3, targetSet);
            ps.setInt(4, year);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new long[]{rs.getLong(1), rs.getLong(2)};
            }
        }
    }


    private static String pick(List<String> headers, String given, String field, List<String> names, String pattern) {
        if (given != null) {
            return headers.stream().filter(h -> h.equals(given)).findFirst().orElseThrow(() ->
                    DomainException.rejected(field, "the file has no column '" + given + "'; its columns are " + headers, List.of()));
        }
        for (String h : headers) if (names.contains(h.toLowerCase(Locale.ROOT))) return h;
        if (pattern != null) for (String h : headers) if (h.matches(pattern)) return h;
        throw DomainException.rejected(field, "no recognisable column for " + field.replace("-field", "")
                + " among " + headers + ": name it with " + field, List.of());
    }

    private static Integer wholeNumber(String s) {
        try {
            return Integer.parseInt(s.replace(",", "").trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Integer yearOf(String s) {
        Integer y = s.length() >= 4 ? wholeNumber(s.substring(0, 4)) : null;
        return y != null && y >= MIN_YEAR && y <= MAX_YEAR ? y : null;
    }
}
