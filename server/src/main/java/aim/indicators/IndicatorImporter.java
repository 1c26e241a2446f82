package aim.indicators;

import aim.boundaries.BoundaryLevel;
import aim.core.DomainException;
import aim.core.Issue;
import aim.csv.CsvText;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Imports indicator values of one kind (survey, count or score) from a CSV file with a header row:
 *
 * <ul>
 *   <li>{@code area} (or {@code area_code}, {@code code}, {@code ward}, {@code lsoa}, {@code zone}): a ward,
 *       LSOA or zone code of any loaded boundary set;</li>
 *   <li>{@code measure} (or {@code indicator}): the indicator's code (lower case letters, digits, {@code . _ -});
 *       optional when the import names exactly one {@code --indicator};</li>
 *   <li>{@code period} (or {@code wave}, {@code date}): as {@link IndicatorPeriod} reads it;</li>
 *   <li>{@code value}: a survey percentage 0–100, a count (a whole number ≥ 0) or a score (any number);</li>
 *   <li>{@code n} (or {@code sample_size}): the survey's sample size, a whole number ≥ 1 (surveys only);</li>
 *   <li>optional, used when the import creates the indicator: {@code name}, {@code direction} (up or down:
 *       which way is good; default up for surveys, down otherwise), {@code source}, {@code licence}.</li>
 * </ul>
 *
 * <p>Good rows are kept and each bad row is reported with its line number. Restricting to {@code only}
 * indicators skips other measures with a warning. Storing is one transaction that first deletes every value
 * of each indicator and period the file holds, so importing the same file again changes nothing.
 */
public final class IndicatorImporter {
    private static final Pattern CODE = Pattern.compile("[a-z0-9][a-z0-9._-]{0,79}");
    private static final Pattern AREA_CODE = Pattern.compile("[\\p{Alnum}._-]{1,60}");
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setTrim(true).setIgnoreEmptyLines(true).build();
    static final Map<String, List<String>> COLUMNS = columns();

    private static Map<String, List<String>> columns() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("area", List.of("area", "area_code", "code", "ward", "lsoa", "zone", "ward_code", "lsoa_code", "zone_code"));
        m.put("measure", List.of("measure", "indicator"));
        m.put("period", List.of("period", "wave", "date", "wave_date"));
        m.put("value", List.of("value"));
        m.put("n", List.of("n", "sample_size", "sample"));
        m.put("name", List.of("name"));
        m.put("direction", List.of("direction"));
        m.put("source", List.of("source"));
        m.put("licence", List.of("licence", "license"));
        return m;
    }

    private final IndicatorRepository repository;

    public IndicatorImporter(IndicatorRepository repository) {
        this.repository = repository;
    }

    /**
     * @param kind  the kind of every value in the file
     * @param only  the indicators to import (empty: every measure in the file)
     * @param file  the file's name in the report
     * @param demo  whether the indicators it creates are demo data
     */
    public record Options(IndicatorKind kind, List<String> only, String file, boolean demo) {
    }

    private record Row(int line, Map<String, String> cells) {
        String get(String field) {
            String v = cells.get(field);
            return v == null || v.isBlank() ? null : v.trim();
        }
    }

    public IndicatorImportReport importCsv(Reader in, Options options) throws IOException {
        if (options.kind() == IndicatorKind.COMPUTED) throw DomainException.invalid("kind", "computed indicators are not imported");
        for (String code : options.only()) {
            if (!CODE.matcher(code).matches()) throw DomainException.invalid("indicator", "'" + code + "' is not an indicator code"
                    + " (lower-case letters, digits, '.', '_' or '-')");
        }
        List<Row> rows = read(in, options);
        List<Issue> issues = new ArrayList<>();
        Map<String, BoundaryLevel> levels = repository.areaLevels(rows.stream().map(r -> r.get("area"))
                .filter(a -> a != null && AREA_CODE.matcher(a).matches()).distinct().toList());
        Map<String, Optional<Indicator>> known = new HashMap<>();
        Map<String, Indicator> created = new LinkedHashMap<>();
        Map<List<Object>, Integer> seen = new HashMap<>();
        List<IndicatorRepository.StoredValue> values = new ArrayList<>();
        Set<String> periods = new LinkedHashSet<>();
        for (Row row : rows) {
            int line = row.line();
            if (row.cells().values().stream().anyMatch(v -> v != null && v.indexOf('\0') >= 0)) {
                issues.add(Issue.atLine(options.file(), line, null, "the row contains a NUL character"));
                continue;
            }
            String measure = row.get("measure");
            if (measure == null && options.only().size() == 1) measure = options.only().get(0);
            if (measure == null) {
                issues.add(Issue.atLine(options.file(), line, "measure", "no measure (the indicator's code)"));
                continue;
            }
            measure = CsvText.restore(measure).toLowerCase(Locale.ROOT);
            if (!CODE.matcher(measure).matches()) {
                issues.add(Issue.atLine(options.file(), line, "measure", "'" + measure + "' is not an indicator code"
                        + " (lower-case letters, digits, '.', '_' or '-', at most 80)"));
                continue;
            }
            if (!options.only().isEmpty() && !options.only().contains(measure)) {
                issues.add(new Issue("warning", options.file(), line, "line " + line, "measure",
                        "measure '" + measure + "' skipped: the import is limited to " + String.join(", ", options.only()), null));
                continue;
            }
            Indicator indicator = known.computeIfAbsent(measure, repository::find).orElse(created.get(measure));
            if (indicator != null && indicator.kind() != options.kind()) {
                issues.add(Issue.atLine(options.file(), line, "measure", "'" + measure + "' is a " + indicator.kind().id()
                        + " indicator, not " + options.kind().id()));
                continue;
            }
            String direction = row.get("direction");
            if (direction != null && !List.of("up", "down").contains(direction.toLowerCase(Locale.ROOT))) {
                issues.add(Issue.atLine(options.file(), line, "direction", "direction is up or down (which way is good), not '" + direction + "'"));
                continue;
            }
            String area = row.get("area");
            if (area == null) {
                issues.add(Issue.atLine(options.file(), line, "area", "no area code"));
                continue;
            }
            BoundaryLevel level = AREA_CODE.matcher(area).matches() ? levels.get(area) : null;
            if (level == null) {
                issues.add(Issue.atLine(options.file(), line, "area", "no loaded ward, LSOA or zone has the code '" + area + "'"));
                continue;
            }
            Optional<IndicatorPeriod> period = IndicatorPeriod.parse(row.get("period"));
            if (period.isEmpty()) {
                issues.add(Issue.atLine(options.file(), line, "period", row.get("period") == null ? "no period"
                        : "period '" + row.get("period") + "' is none of: a date 2024-05-15, a month 2024-05, a quarter Q1 24/25,"
                        + " a financial year 24/25 or a year 2019"));
                continue;
            }
            Optional<String> valueProblem = Optional.empty();
            Double value = number(row.get("value"));
            Integer n = null;
            if (value == null) {
                valueProblem = Optional.of(row.get("value") == null ? "no value" : "value '" + row.get("value") + "' is not a number");
            } else if (options.kind() == IndicatorKind.SURVEY && (value < 0 || value > 100)) {
                valueProblem = Optional.of("a survey value is a percentage from 0 to 100, not " + row.get("value"));
            } else if (options.kind() == IndicatorKind.COUNT && (value < 0 || value != Math.rint(value))) {
                valueProblem = Optional.of("a count is a whole number of at least 0, not " + row.get("value"));
            }
            if (valueProblem.isPresent()) {
                issues.add(Issue.atLine(options.file(), line, "value", valueProblem.get()));
                continue;
            }
            if (options.kind() == IndicatorKind.SURVEY) {
                Double size = number(row.get("n"));
                if (size == null || size < 1 || size != Math.rint(size) || size > Integer.MAX_VALUE) {
                    issues.add(Issue.atLine(options.file(), line, "n", row.get("n") == null ? "a survey value needs its sample size n"
                            : "n is the sample size, a whole number of at least 1, not '" + row.get("n") + "'"));
                    continue;
                }
                n = size.intValue();
            }
            List<Object> key = List.of(measure, period.get().start(), period.get().end(), area);
            Integer first = seen.putIfAbsent(key, line);
            if (first != null) {
                issues.add(Issue.atLine(options.file(), line, "area", measure + " for " + area + " in " + period.get().label()
                        + " is already on line " + first));
                continue;
            }
            if (indicator == null) {
                String name = row.get("name");
                indicator = new Indicator(measure, name == null ? measure : CsvText.restore(name), options.kind(),
                        direction != null ? direction.toLowerCase(Locale.ROOT) : options.kind() == IndicatorKind.SURVEY ? "up" : "down",
                        row.get("source") == null ? "imported from " + options.file() : CsvText.restore(row.get("source")),
                        row.get("licence") == null ? "not stated" : CsvText.restore(row.get("licence")), null, null, options.demo());
                created.put(measure, indicator);
            }
            values.add(new IndicatorRepository.StoredValue(measure, period.get(), level, area, value, n));
            periods.add(measure + " " + period.get().label());
        }
        int replaced = values.isEmpty() ? 0 : repository.store(List.copyOf(created.values()), values);
        issues.sort(Comparator.comparingInt(Issue::line));
        int rejected = (int) issues.stream().filter(Issue::isError).count();
        return new IndicatorImportReport(options.file(), options.kind().id(), rows.size(), values.size(), rejected, replaced,
                values.isEmpty() ? List.of() : List.copyOf(created.keySet()), List.copyOf(periods), issues);
    }

    private static Double number(String text) {
        if (text == null) return null;
        try {
            double d = Double.parseDouble(text.replace(",", "").replace("%", "").trim());
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The rows with their line numbers (a quoted value may span lines: the row's first line is given). */
    private static List<Row> read(Reader in, Options options) throws IOException {
        try (CSVParser parser = CSVParser.parse(in, FORMAT)) {
            var records = parser.iterator();
            if (!records.hasNext()) throw DomainException.rejected("file", options.file() + " is empty: expected a CSV file with a header row", List.of());
            List<String> header = new ArrayList<>();
            for (String h : records.next()) header.add(h.replace("\uFEFF", "").trim().toLowerCase(Locale.ROOT));
            Map<String, Integer> column = new HashMap<>();
            COLUMNS.forEach((field, names) -> {
                for (String name : names) {
                    int i = header.indexOf(name);
                    if (i >= 0) {
                        column.put(field, i);
                        break;
                    }
                }
            });
            for (String required : List.of("area", "period", "value")) {
                if (!column.containsKey(required)) {
                    throw DomainException.rejected("file", "no " + required + " column (" + String.join(", ", COLUMNS.get(required))
                            + "); the columns are " + String.join(", ", header), List.of());
                }
            }
            if (!column.containsKey("measure") && options.only().size() != 1) {
                throw DomainException.rejected("file", "no measure column: add one (the indicator's code) or import with exactly one indicator",
                        List.of());
            }
            List<Row> rows = new ArrayList<>();
            while (records.hasNext()) {
                CSVRecord record = records.next();
                long line = parser.getCurrentLineNumber();
                for (String v : record) for (int i = v.indexOf('\n'); i >= 0; i = v.indexOf('\n', i + 1)) line--;
                Map<String, String> cells = new HashMap<>();
                column.forEach((field, i) -> cells.put(field, i < record.size() ? record.get(i) : null));
                rows.add(new Row((int) line, cells));
            }
            return rows;
        } catch (UncheckedIOException e) {
            throw DomainException.rejected("file", "malformed CSV in " + options.file() + ": " + e.getCause().getMessage(), List.of());
        }
    }
}
