package aim.incidents;

import aim.core.Council;
import aim.core.DomainException;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Imports data.police.uk street-level crime files ({@code YYYY-MM-force-street.csv}) into the
 * incident store as source {@code police}. Each row is one incident: its category from the
 * "Crime type" ({@link Taxonomy#byPoliceType}), the first moment of its month in Europe/London
 * (precision {@code month}), and the anonymised snap point it is published at, WGS84
 * longitude/latitude transformed to EPSG:27700 (precision {@code snapped}). Rows without
 * coordinates are kept as area-only incidents (no point, the LSOA as area code).
 *
 * <p>The key of a row is its Crime ID. Anti-social behaviour rows have none, so their key is
 * derived: the SHA-256 of month, force, coordinates, location, LSOA and crime type, plus the
 * ordinal of identical rows within the file ({@code <hex>#1}, {@code <hex>#2} …). Two identical
 * ASB rows are two incidents, and importing the same file again yields the same keys, so it adds
 * nothing. A Crime ID that appears twice in a file (police.uk repeats a crime with a second
 * outcome) is stored once, from its first row.
 *
 * <p>The file is streamed (never held in memory), rows are checked here, good rows go through
 * {@link IncidentImportStaging} (COPY), bad rows are reported with their line; one transaction
 * per file.
 */
public final class PoliceCsvImporter {
    /** The data.police.uk street-level header. */
    public static final List<String> HEADER = List.of("Crime ID", "Month", "Reported by", "Falls within", "Longitude",
            "Latitude", "Location", "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context");
    /** Great Britain, roughly, in WGS84 degrees. */
    static final double MIN_LON = -9, MAX_LON = 2.1, MIN_LAT = 49.8, MAX_LAT = 61;

    private static final List<String> REQUIRED = List.of("Crime ID", "Month", "Falls within", "Longitude", "Latitude",
            "Location", "LSOA code", "Crime type", "Last outcome category");

    private final DataSource dataSource;
    private final Clock clock;

    public PoliceCsvImporter(DataSource dataSource) {
        this(dataSource, Clock.systemUTC());
    }

    /** {@code clock} decides which months are in the future. */
    public PoliceCsvImporter(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    public IncidentImportReport importFile(Path file) throws IOException {
        return importFile(file, new IncidentImportTimings());
    }

    /** Imports {@code file} and adds where the time went to {@code timings}. */
    public IncidentImportReport importFile(Path file, IncidentImportTimings timings) throws IOException {
        try (Reader in = IncidentImportCsv.open(file)) {
            return importCsv(in, file.getFileName().toString(), timings);
        }
    }

    /** Imports one file, read from {@code in}; {@code fileName} names it in the report. */
    public IncidentImportReport importCsv(Reader in, String fileName) throws IOException {
        return importCsv(in, fileName, new IncidentImportTimings());
    }

    private IncidentImportReport importCsv(Reader in, String fileName, IncidentImportTimings timings) throws IOException {
        Map<String, String> categoryByType = Taxonomy.load(dataSource).categories().stream()
                .filter(c -> c.policeType() != null)
                .collect(Collectors.toMap(c -> c.policeType().toLowerCase(Locale.ROOT), Taxonomy.Category::code));
        try (IncidentImportCsv csv = IncidentImportCsv.start(in, fileName)) {
            Columns columns = Columns.of(csv, fileName);
            RowReader rows = new RowReader(fileName, columns, categoryByType, YearMonth.now(clock.withZone(Council.UK)));
            IncidentImportStaging.Result result = IncidentImportStaging.importAll(dataSource, "police", csv, rows::read, timings);
            return new IncidentImportReport("police", fileName, rows.read, result.imported(),
                    result.staged() - result.imported(), rows.rejections.count(), result.areaOnly(),
                    rows.rejections.issues());
        } catch (SQLException e) {
            throw new IllegalStateException("police.uk import of " + fileName + " failed: " + e.getMessage(), e);
        }
    }

    /** Where the columns are in this file. */
    private record Columns(int count, int crimeId, int month, int fallsWithin, int lon, int lat, int location, int lsoa,
                           int crimeType, int outcome) {
        static Columns of(IncidentImportCsv csv, String fileName) {
            List<String> missing = REQUIRED.stream().filter(name -> csv.column(name) < 0).toList();
            if (!missing.isEmpty()) {
                throw DomainException.rejected("file", fileName + " is not a police.uk street-level CSV: it has no column "
                        + missing.stream().map(m -> "'" + m + "'").collect(Collectors.joining(", "))
                        + " (expected the header " + String.join(",", HEADER) + ")", List.of());
            }
            return new Columns(csv.header().size(), csv.column("Crime ID"), csv.column("Month"), csv.column("Falls within"),
                    csv.column("Longitude"), csv.column("Latitude"), csv.column("Location"), csv.column("LSOA code"),
                    csv.column("Crime type"), csv.column("Last outcome category"));
        }
    }

    /** Checks rows one by one and turns the good ones into incidents; holds the per-file state. */
    private static final class RowReader {
        final IncidentImportRejections rejections;
        long read;
        private final Columns columns;
        private final Map<String, String> categoryByType;
        private final YearMonth latest;
        private final Map<String, String> monthStarts = new HashMap<>();
        private final Map<String, Integer> identicalRows = new HashMap<>();
        private final MessageDigest sha256;

        RowReader(String fileName, Columns columns, Map<String, String> categoryByType, YearMonth latest) {
            this.rejections = new IncidentImportRejections(fileName);
            this.columns = columns;
            this.categoryByType = categoryByType;
            this.latest = latest;
            try {
                this.sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
            }
        }

        /** The incident of {@code row}, or null when the row is rejected (and reported). */
        IncidentImportStaging.Incident read(IncidentImportCsv.Row row) {
            read++;
            int line = row.line();
            if (row.size() != columns.count()) {
                rejections.reject(line, null, "expected " + columns.count() + " columns, found " + row.size());
                return null;
            }
            String month = row.get(columns.month());
            String occurredAt = monthStarts.get(month);
            if (occurredAt == null) {
                YearMonth ym = parseMonth(month);
                if (ym == null) {
                    rejections.reject(line, "Month", "month '" + month + "' is not a month like 2019-01 (YYYY-MM)");
                    return null;
                }
                if (ym.isAfter(latest)) {
                    rejections.reject(line, "Month", "month " + month + " is in the future");
                    return null;
                }
                occurredAt = ym.atDay(1).atStartOfDay(Council.UK).toOffsetDateTime().toString();
                monthStarts.put(month, occurredAt);
            }
            String crimeType = row.get(columns.crimeType());
            String category = categoryByType.get(crimeType.toLowerCase(Locale.ROOT));
            if (category == null) {
                rejections.reject(line, "Crime type", crimeType.isEmpty() ? "the crime type is empty"
                        : "unknown crime type '" + crimeType + "'");
                return null;
            }
            String lonText = row.get(columns.lon()), latText = row.get(columns.lat());
            Double lon = null, lat = null;
            if (!lonText.isEmpty() || !latText.isEmpty()) {
                if (lonText.isEmpty() || latText.isEmpty()) {
                    rejections.reject(line, lonText.isEmpty() ? "Longitude" : "Latitude",
                            "longitude and latitude must both be given, or both be empty for a row without a location");
                    return null;
                }
                lon = IncidentImportCsv.decimal(lonText);
                lat = IncidentImportCsv.decimal(latText);
                if (lon == null || lat == null) {
                    rejections.reject(line, lon == null ? "Longitude" : "Latitude", (lon == null ? "longitude '" + lonText
                            : "latitude '" + latText) + "' is not a number");
                    return null;
                }
                if (!(lon >= MIN_LON && lon <= MAX_LON)) {
                    rejections.reject(line, "Longitude", "longitude " + lonText + " is outside Great Britain ("
                            + MIN_LON + " to " + MAX_LON + ")");
                    return null;
                }
                if (!(lat >= MIN_LAT && lat <= MAX_LAT)) {
                    rejections.reject(line, "Latitude", "latitude " + latText + " is outside Great Britain ("
                            + MIN_LAT + " to " + MAX_LAT + ")");
                    return null;
                }
            }
            String location = row.get(columns.location()), lsoa = row.get(columns.lsoa());
            String key = row.get(columns.crimeId());
            if (key.isEmpty()) {
                key = derivedKey(month, row.get(columns.fallsWithin()), lonText, latText, location, lsoa, crimeType);
            }
            return new IncidentImportStaging.Incident(line, key, category, occurredAt, "month", lon, lat, 4326,
                    lon == null ? "area" : "snapped", emptyToNull(location), emptyToNull(lsoa), null,
                    emptyToNull(row.get(columns.outcome())), null, null, null, null);
        }

        /** A stable key for a row without a Crime ID: the same row of the same file always gets the same key. */
        private String derivedKey(String... parts) {
            String hex = HexFormat.of().formatHex(sha256.digest(String.join("|", parts).getBytes(StandardCharsets.UTF_8)));
            int ordinal = identicalRows.merge(hex, 1, Integer::sum);
            return hex + "#" + ordinal;
        }

        private static YearMonth parseMonth(String text) {
            if (text.length() != 7 || text.charAt(4) != '-') return null;
            try {
                return YearMonth.parse(text);
            } catch (DateTimeParseException e) {
                return null;
            }
        }
    }

    static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
