package aim.boundaries;

import aim.core.DomainException;
import aim.core.Issue;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a ward-to-neighbourhood mapping: a CSV with columns {@code ward_code} and
 * {@code neighbourhood_name} (or {@code neighbourhood}), optionally {@code neighbourhood_code}
 * (derived from the name when absent). Rows that cannot be used are reported by line number.
 */
public final class NeighbourhoodMappingCsv {
    public record Parsed(List<NeighbourhoodDefinition> neighbourhoods, List<Issue> issues) {
    }

    private NeighbourhoodMappingCsv() {
    }

    public static Parsed read(Reader in) throws IOException {
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
                .setIgnoreHeaderCase(true).setTrim(true).setIgnoreEmptyLines(true).build();
        try (CSVParser csv = CSVParser.parse(in, format)) {
            String wardColumn = column(csv, "ward_code", "ward", "wd_code");
            String nameColumn = column(csv, "neighbourhood_name", "neighbourhood");
            String codeColumn = csv.getHeaderMap().keySet().stream()
                    .filter(h -> h.equalsIgnoreCase("neighbourhood_code")).findFirst().orElse(null);
            if (wardColumn == null || nameColumn == null) {
                throw DomainException.rejected(wardColumn == null ? "ward_code" : "neighbourhood_name",
                        "the mapping needs columns ward_code and neighbourhood_name; it has " + csv.getHeaderNames(), List.of());
            }
            Map<String, String> names = new LinkedHashMap<>();
            Map<String, List<String>> wards = new LinkedHashMap<>();
            List<Issue> issues = new ArrayList<>();
            for (CSVRecord row : csv) {
                String where = "line " + (row.getRecordNumber() + 1);
                if (!row.isConsistent()) {
                    issues.add(Issue.error(where, null, "expected " + csv.getHeaderNames().size() + " columns, found " + row.size()));
                    continue;
                }
                String ward = row.get(wardColumn);
                String name = row.get(nameColumn);
                String code = codeColumn == null || row.get(codeColumn).isEmpty() ? codeFor(name) : row.get(codeColumn);
                if (ward.isEmpty()) {
                    issues.add(Issue.error(where, wardColumn, "the ward code is empty"));
                } else if (name.isEmpty()) {
                    issues.add(Issue.error(where, nameColumn, "the neighbourhood name is empty"));
                } else if (names.containsKey(code) && !names.get(code).equals(name)) {
                    issues.add(Issue.error(where, nameColumn, "neighbourhood " + code + " is called both '"
                            + names.get(code) + "' and '" + name + "'"));
                } else {
                    names.put(code, name);
                    wards.computeIfAbsent(code, k -> new ArrayList<>()).add(ward);
                }
            }
            List<NeighbourhoodDefinition> result = new ArrayList<>();
            names.forEach((code, name) -> result.add(new NeighbourhoodDefinition(code, name, wards.get(code))));
            return new Parsed(result, issues);
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw DomainException.rejected("file", "malformed CSV: " + e.getMessage(), List.of());
        }
    }

    static String codeFor(String name) {
        return name.trim().toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]+", "-").replaceAll("^-|-$", "");
    }

    private static String column(CSVParser csv, String... candidates) {
        for (String header : csv.getHeaderNames()) {
            for (String c : candidates) if (header.equalsIgnoreCase(c)) return header;
        }
        return null;
    }
}
