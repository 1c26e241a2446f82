package aim.incidents;

import aim.core.Council;
import aim.core.DomainException;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Imports a council's own incident export (ASB, environmental crime, fly-tipping) as source
 * {@code council}, whatever its column names: a {@link CouncilColumnMapping} says which column is
 * which field. Locations are WGS84 longitude/latitude (degrees, within Great Britain) or British
 * National Grid easting/northing (EPSG:27700 metres, 0–700,000 / 0–1,300,000), stored as EPSG:27700
 * points of precision {@code exact}; rows without coordinates are area-only (the ward as area
 * code). Dates are read the UK way round ({@link CouncilDateParser}) and may not be in the future.
 * The council's reference is the key, so a re-import adds nothing. Good rows are kept; each bad
 * row is reported with its line. Streamed, staged with COPY, one transaction per file.
 */
public final class CouncilCsvImporter {
    static final double MAX_EASTING = 700_000, MAX_NORTHING = 1_300_000;

    private final DataSource dataSource;
    private final Clock clock;

    public CouncilCsvImporter(DataSource dataSource) {
        this(dataSource, Clock.systemUTC());
    }

    /** {@code clock} decides which dates are in the future. */
    public CouncilCsvImporter(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    public IncidentImportReport importFile(Path file, CouncilColumnMapping mapping) throws IOException {
        try (Reader in = IncidentImportCsv.open(file)) {
            return importCsv(in, file.getFileName().toString(), mapping);
        }
    }

    /** Imports one file, read from {@code in}; {@code fileName} names it in the report. */
    public IncidentImportReport importCsv(Reader in, String fileName, CouncilColumnMapping mapping) throws IOException {
        Vocabularies vocabularies = new Vocabularies(Taxonomy.load(dataSource), mapping);
        try (IncidentImportCsv csv = IncidentImportCsv.start(in, fileName)) {
            RowReader rows = new RowReader(fileName, csv, mapping, vocabularies, clock);
            IncidentImportTimings timings = new IncidentImportTimings();
            IncidentImportStaging.Result result = IncidentImportStaging.importAll(dataSource, "council", csv, rows::read, timings);
            return new IncidentImportReport("council", fileName, rows.read, result.imported(),
                    result.staged() - result.imported(), rows.rejections.count(), result.areaOnly(),
                    rows.rejections.issues());
        } catch (SQLException e) {
            throw new IllegalStateException("council import of " + fileName + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * The accepted values of each coded field: our codes, our labels (and, for categories, police.uk
     * crime types), matched case-insensitively, then the mapping's translation table.
     */
    private static final class Vocabularies {
        private final Map<String, Map<String, String>> byField = new HashMap<>();
        private final CouncilColumnMapping mapping;

        Vocabularies(Taxonomy taxonomy, CouncilColumnMapping mapping) {
            this.mapping = mapping;
            Map<String, String> categories = new HashMap<>();
            for (Taxonomy.Category c : taxonomy.categories()) {
                categories.put(lower(c.code()), c.code());
                categories.putIfAbsent(lower(c.label()), c.code());
                if (c.policeType() != null) categories.putIfAbsent(lower(c.policeType()), c.code());
            }
            Map<String, String> statuses = new LinkedHashMap<>();
            Taxonomy.STATUSES.forEach(s -> statuses.put(s, s.replace('-', ' ')));
            byField.put("category", categories);
            byField.put("status", accepted(statuses));
            byField.put("fly_size", accepted(Taxonomy.FLY_SIZES));
            byField.put("fly_waste_type", accepted(Taxonomy.FLY_WASTE_TYPES));
            byField.put("fly_land_type", accepted(Taxonomy.FLY_LAND_TYPES));
            // a translation must lead to one of our codes: a mistake there is the mapping's, found before any row
            for (var table : mapping.values().entrySet()) {
                for (var t : table.getValue().entrySet()) {
                    if (resolveOwn(table.getKey(), t.getValue()) == null) {
                        throw DomainException.invalid("map", table.getKey() + "-values translates '" + t.getKey()
                                + "' to '" + t.getValue() + "', which is not a " + table.getKey() + " code");
                    }
                }
            }
        }

        /** lower-case code and label → code */
        private static Map<String, String> accepted(Map<String, String> codeToLabel) {
            Map<String, String> m = new HashMap<>();
            codeToLabel.forEach((code, label) -> {
                m.put(lower(code), code);
                m.putIfAbsent(lower(label), code);
            });
            return m;
        }

        private static String lower(String s) {
            return s.strip().toLowerCase(Locale.ROOT);
        }

        /** Our code for {@code value} of {@code field}, or null. */
        String resolve(String field, String value) {
            String translated = mapping.translate(field, value);
            return translated != null ? resolveOwn(field, translated) : resolveOwn(field, value);
        }

        private String resolveOwn(String field, String value) {
            return byField.get(field).get(value.strip().toLowerCase(Locale.ROOT));
        }
    }

    /** Checks rows one by one and turns the good ones into incidents. */
    private static final class RowReader {
        final IncidentImportRejections rejections;
        long read;
        private final int count;
        private final Map<String, Integer> column = new HashMap<>();
        private final Map<String, String> columnName = new HashMap<>();
        private final Vocabularies vocabularies;
        private final CouncilDateParser dates = new CouncilDateParser(Council.UK);
        private final Clock clock;

        RowReader(String fileName, IncidentImportCsv csv, CouncilColumnMapping mapping, Vocabularies vocabularies, Clock clock) {
            this.rejections = new IncidentImportRejections(fileName);
            this.count = csv.header().size();
            this.vocabularies = vocabularies;
            this.clock = clock;
            for (var e : mapping.columns().entrySet()) {
                int index = csv.column(e.getValue());
                if (index < 0) {
                    throw DomainException.rejected("file", fileName + " has no column '" + e.getValue() + "' (mapped to "
                            + e.getKey() + "); its columns are " + String.join(", ", csv.header()), List.of());
                }
                column.put(e.getKey(), index);
                columnName.put(e.getKey(), csv.header().get(index));
            }
        }

        private String value(IncidentImportCsv.Row row, String field) {
            Integer index = column.get(field);
            return index == null ? "" : row.get(index);
        }

        /** The incident of {@code row}, or null when the row is rejected (and reported). */
        IncidentImportStaging.Incident read(IncidentImportCsv.Row row) {
            read++;
            int line = row.line();
            if (row.size() != count) {
                rejections.reject(line, null, "expected " + count + " columns, found " + row.size());
                return null;
            }
            String id = value(row, "id");
            if (id.isEmpty()) return reject(line, "id", "the reference (id) is empty");

            String categoryText = value(row, "category");
            String category = categoryText.isEmpty() ? null : vocabularies.resolve("category", categoryText);
            if (category == null) {
                return reject(line, "category", categoryText.isEmpty() ? "the category is empty"
                        : "unknown category '" + categoryText + "': use a code such as asb-noise, a label such as"
                        + " \"ASB: noise\", or translate it with category-values in the mapping");
            }

            String occurredText = value(row, "occurred");
            CouncilDateParser.Parsed occurred = dates.parse(occurredText);
            if (occurred == null) {
                return reject(line, "occurred", occurredText.isEmpty() ? "the date is empty" : "'" + occurredText
                        + "' is not a date such as 05/03/2024, 2024-03-05 or 05/03/2024 14:30");
            }
            boolean future = occurred.precision().equals("day")
                    ? occurred.at().toLocalDate().isAfter(LocalDate.now(clock.withZone(Council.UK)))
                    : occurred.at().isAfter(OffsetDateTime.now(clock));
            if (future) return reject(line, "occurred", "the date " + occurredText + " is in the future");

            Double x = null, y = null;
            int srid = column.containsKey("easting") ? 27700 : 4326;
            String xField = srid == 27700 ? "easting" : "lon", yField = srid == 27700 ? "northing" : "lat";
            String xText = value(row, xField), yText = value(row, yField);
            if (!xText.isEmpty() || !yText.isEmpty()) {
                if (xText.isEmpty() || yText.isEmpty()) {
                    return reject(line, xText.isEmpty() ? xField : yField,
                            xField + " and " + yField + " must both be given, or both be empty for a row without a location");
                }
                x = IncidentImportCsv.decimal(xText);
                y = IncidentImportCsv.decimal(yText);
                if (x == null) return reject(line, xField, xField + " '" + xText + "' is not a number");
                if (y == null) return reject(line, yField, yField + " '" + yText + "' is not a number");
                double[] xRange = srid == 27700 ? new double[]{0, MAX_EASTING} : new double[]{PoliceCsvImporter.MIN_LON, PoliceCsvImporter.MAX_LON};
                double[] yRange = srid == 27700 ? new double[]{0, MAX_NORTHING} : new double[]{PoliceCsvImporter.MIN_LAT, PoliceCsvImporter.MAX_LAT};
                String area = srid == 27700 ? "the British National Grid" : "Great Britain";
                if (!(x >= xRange[0] && x <= xRange[1])) {
                    return reject(line, xField, xField + " " + xText + " is outside " + area + " (" + number(xRange[0]) + " to " + number(xRange[1]) + ")");
                }
                if (!(y >= yRange[0] && y <= yRange[1])) {
                    return reject(line, yField, yField + " " + yText + " is outside " + area + " (" + number(yRange[0]) + " to " + number(yRange[1]) + ")");
                }
            }

            String status = null;
            String statusText = value(row, "status");
            if (!statusText.isEmpty()) {
                status = vocabularies.resolve("status", statusText);
                if (status == null) {
                    return reject(line, "status", "unknown status '" + statusText + "': expected one of "
                            + String.join(", ", Taxonomy.STATUSES));
                }
            }
            String[] fly = new String[3];
            List<String> flyFields = List.of("fly_size", "fly_waste_type", "fly_land_type");
            List<Map<String, String>> flyVocabularies = List.of(Taxonomy.FLY_SIZES, Taxonomy.FLY_WASTE_TYPES, Taxonomy.FLY_LAND_TYPES);
            for (int i = 0; i < 3; i++) {
                String field = flyFields.get(i), text = value(row, field);
                if (text.isEmpty()) continue;
                if (!category.equals("fly-tipping")) {
                    return reject(line, field, field + " is only for fly-tipping, not " + category);
                }
                fly[i] = vocabularies.resolve(field, text);
                if (fly[i] == null) {
                    return reject(line, field, "unknown " + field + " '" + text + "': expected one of "
                            + String.join(", ", flyVocabularies.get(i).keySet()));
                }
            }
            return new IncidentImportStaging.Incident(line, id, category, occurred.at().toString(), occurred.precision(),
                    x, y, srid, x == null ? "area" : "exact", PoliceCsvImporter.emptyToNull(value(row, "location")),
                    PoliceCsvImporter.emptyToNull(value(row, "ward")), status, null,
                    PoliceCsvImporter.emptyToNull(value(row, "description")), fly[0], fly[1], fly[2]);
        }

        private IncidentImportStaging.Incident reject(int line, String field, String message) {
            rejections.reject(line, columnName.getOrDefault(field, field), message);
            return null;
        }

        private static String number(double d) {
            return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
        }
    }
}
