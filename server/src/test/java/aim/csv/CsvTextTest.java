package aim.csv;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The OWASP rule for CSV cells: a formula-like text cell gets an apostrophe; numbers and plain text do not. */
class CsvTextTest {

    @Test
    void formulaLikeTextGetsAnApostropheAndComesBackOnImport() {
        for (String formula : new String[]{"=1+2", "+44 20 7946 0000", "-2+3", "@SUM(A1)", "\tx", "\rx", "=", "'=already"}) {
            String safe = CsvText.safe(formula);
            if (formula.startsWith("'")) {
                assertEquals(formula, safe, "an apostrophe first is already text");
            } else {
                assertEquals("'" + formula, safe);
                assertEquals(formula, CsvText.restore(safe));
            }
        }
        for (String plain : new String[]{"Library", "", "'quoted'", "O'Brien", "1-2", " =not first"}) {
            assertEquals(plain, CsvText.safe(plain));
            assertEquals(plain, CsvText.restore(plain));
        }
        assertNull(CsvText.safe(null));
        assertNull(CsvText.restore(null));
        assertEquals("'", CsvText.restore("'"));
    }

    @Test
    void onlyTextCellsChange() {
        assertEquals(-3.2, CsvText.cell(-3.2));
        assertEquals(-7L, CsvText.cell(-7L));
        assertEquals(Boolean.TRUE, CsvText.cell(true));
        assertEquals(LocalDate.of(2025, 1, 1), CsvText.cell(LocalDate.of(2025, 1, 1)));
        assertEquals("'-3.2", CsvText.cell("-3.2"), "a number held as text is text");
        assertNull(CsvText.cell(null));
    }
}
