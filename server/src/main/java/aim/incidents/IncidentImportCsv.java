package aim.incidents;

import aim.core.DomainException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A streamed CSV file of an incident import: strict UTF-8 (with or without a byte-order mark), a
 * header row, then one record at a time with the line it starts on. Nothing is held in memory but
 * the current record. A file that cannot be read as CSV at all is a 422 problem; a record with the
 * wrong number of columns is left to the importer to reject.
 */
final class IncidentImportCsv implements AutoCloseable {
    /** A record and the 1-based line it starts on (the header is line 1). */
    record Row(CSVRecord values, int line) {
        String get(int column) {
            return column < 0 ? "" : values.get(column);
        }

        int size() {
            return values.size();
        }
    }

    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setTrim(true).setIgnoreEmptyLines(true).build();

    private final String file;
    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private final List<String> header;

    private IncidentImportCsv(String file, CSVParser parser, Iterator<CSVRecord> records, List<String> header) {
        this.file = file;
        this.parser = parser;
        this.records = records;
        this.header = header;
    }

    /** A reader of {@code file} that fails (rather than guesses) on bytes that are not UTF-8. */
    static Reader open(Path file) throws IOException {
        return new BufferedReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8.newDecoder()), 1 << 16);
    }

    /** Reads the header of {@code in}; {@code file} names the file in problems and issues. */
    static IncidentImportCsv start(Reader in, String file) throws IOException {
        BufferedReader reader = in instanceof BufferedReader b ? b : new BufferedReader(in, 1 << 16);
        try {
            reader.mark(1);
            if (reader.read() != '\uFEFF') reader.reset(); // byte-order mark, as Excel writes
        } catch (CharacterCodingException e) {
            throw malformed(file, 1, new UncheckedIOException(e));
        }
        CSVParser parser = CSVParser.parse(reader, FORMAT);
        Iterator<CSVRecord> records = parser.iterator();
        try {
            if (!records.hasNext()) {
                throw DomainException.rejected("file", file + " is empty: expected a CSV file with a header row", List.of());
            }
            List<String> header = new ArrayList<>();
            for (String name : records.next()) header.add(name.trim());
            return new IncidentImportCsv(file, parser, records, List.copyOf(header));
        } catch (UncheckedIOException e) {
            throw malformed(file, 1, e);
        }
    }

    List<String> header() {
        return header;
    }

    /** The index of the column named {@code name} (case and surrounding spaces ignored), or -1. */
    int column(String name) {
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).equalsIgnoreCase(name.trim())) return i;
        }
        return -1;
    }

    /** The next record, or null at the end of the file. */
    Row next() {
        try {
            if (!records.hasNext()) return null;
            CSVRecord record = records.next();
            // the parser counts the line the record ends on; a quoted value may span lines
            long line = parser.getCurrentLineNumber();
            for (String value : record) {
                for (int i = value.indexOf('\n'); i >= 0; i = value.indexOf('\n', i + 1)) line--;
            }
            return new Row(record, (int) line);
        } catch (UncheckedIOException e) {
            throw malformed(file, (int) parser.getCurrentLineNumber() + 1, e);
        }
    }

    private static DomainException malformed(String file, int line, UncheckedIOException e) {
        if (e.getCause() instanceof CharacterCodingException) {
            return DomainException.rejected("file", file + " is not UTF-8 text (near line " + line
                    + "): save it as \"CSV UTF-8\" and import it again", List.of());
        }
        String reason = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : e.getMessage();
        return DomainException.rejected("file", "malformed CSV in " + file + " near line " + line + ": " + reason, List.of());
    }

    /**
     * A plain decimal number such as {@code -1.2345} or {@code 451230}, or null (never NaN, infinity or hex): the
     * text must match {@code [-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?} (ASCII digits). Checked by hand rather than
     * by a regular expression: it runs twice per imported row, and a matcher per call was a fifth of the
     * reading thread's time at 1,000,000 rows.
     */
    static Double decimal(String text) {
        int n = text.length(), i = 0;
        if (i < n && (text.charAt(i) == '-' || text.charAt(i) == '+')) i++;
        int start = i;
        i = digits(text, i);
        int whole = i - start, fraction = 0;
        if (i < n && text.charAt(i) == '.') {
            start = ++i;
            i = digits(text, i);
            fraction = i - start;
        }
        if (whole == 0 && fraction == 0) return null;
        if (i < n && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            i++;
            if (i < n && (text.charAt(i) == '-' || text.charAt(i) == '+')) i++;
            start = i;
            i = digits(text, i);
            if (i == start) return null;
        }
        return i == n ? Double.valueOf(text) : null;
    }

    /** The index after the ASCII digits of {@code text} from {@code i}. */
    private static int digits(String text, int i) {
        while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') i++;
        return i;
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
