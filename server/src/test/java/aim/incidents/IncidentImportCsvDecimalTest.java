package aim.incidents;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The coordinate check of the importers ({@link IncidentImportCsv#decimal}): a hand-written scan equal to its grammar. */
class IncidentImportCsvDecimalTest {
    /** The grammar, as the regular expression the scan replaced. */
    private static final Pattern GRAMMAR = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");

    @Test
    void plainDecimalsAreNumbersAndEverythingElseIsNull() {
        assertEquals(-1.234567, IncidentImportCsv.decimal("-1.234567"));
        assertEquals(451230.0, IncidentImportCsv.decimal("451230"));
        assertEquals(0.5, IncidentImportCsv.decimal(".5"));
        assertEquals(1.0, IncidentImportCsv.decimal("+1."));
        assertEquals(1.5e3, IncidentImportCsv.decimal("1.5E+3"));
        for (String bad : List.of("", "-", ".", "-.", "1e", "1e+", "e5", "NaN", "Infinity", "0x1p3", "1.5d", "1,5", " 1", "1 ",
                "--1", "1..2", "\u0661", "1e5.5")) {
            assertNull(IncidentImportCsv.decimal(bad), bad);
        }
    }

    @Test
    void theScanAcceptsExactlyWhatTheGrammarAccepts() {
        Random random = new Random(11);
        String alphabet = "0123456789+-.eEx d";
        for (int k = 0; k < 200_000; k++) {
            StringBuilder text = new StringBuilder();
            for (int n = random.nextInt(7); n > 0; n--) text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            String s = text.toString();
            Double expected = GRAMMAR.matcher(s).matches() ? Double.valueOf(s) : null;
            assertEquals(expected, IncidentImportCsv.decimal(s), s);
        }
    }
}
