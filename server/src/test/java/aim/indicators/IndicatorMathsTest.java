package aim.indicators;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The indicator table's tests, intervals, RAG rule and periods on hand-computed cases (no database). */
class IndicatorMathsTest {

    @Test
    void twoProportionTestMatchesAHandComputation() {
        // 50 % of 200 against 40 % of 200: pooled p = 0.45, se = √(0.45·0.55·(1/200 + 1/200)) = 0.049749,
        // z = 0.1 / 0.049749 = 2.01008, p = 2(1 − Φ(2.01008)) = 0.044423 (R: prop.test(c(100, 80), c(200, 200), correct = FALSE))
        assertEquals(0.044423, ChangeTests.twoProportionP(50, 200, 40, 200), 1e-6);
        assertEquals(ChangeTests.twoProportionP(50, 200, 40, 200), ChangeTests.twoProportionP(40, 200, 50, 200), 1e-15);
        // 62 % of 150 against 55 % of 400: pooled 0.569091, se = √(0.569091·0.430909·(1/150 + 1/400)) = 0.047412,
        // z = 1.47642, p = 0.139832
        assertEquals(0.139832, ChangeTests.twoProportionP(62, 150, 55, 400), 1e-5);
        assertEquals(1.0, ChangeTests.twoProportionP(30, 100, 30, 300), 1e-12);
        assertEquals(1.0, ChangeTests.twoProportionP(0, 100, 0, 50), 0, "no variation: nothing to test");
        assertEquals(1.0, ChangeTests.twoProportionP(100, 10, 100, 20), 0);
    }

    @Test
    void wilsonIntervalMatchesAHandComputation() {
        // p = 0.4, n = 200, z = 1.959964: centre (0.4 + z²/400) / (1 + z²/200) = 0.401885,
        // half-width z·√(0.4·0.6/200 + z²/160000) / (1 + z²/200) = 0.067276
        double[] ci = ChangeTests.wilson(40, 200);
        assertEquals(33.461, ci[0], 0.005);
        assertEquals(46.916, ci[1], 0.005);
        double[] zero = ChangeTests.wilson(0, 20);
        assertEquals(0, zero[0], 1e-9);
        assertEquals(16.11, zero[1], 0.01); // z²/(n + z²) = 3.8415 / 23.8415
        double[] all = ChangeTests.wilson(100, 20);
        assertEquals(100, all[1], 1e-9);
    }

    @Test
    void ragFollowsTheGoodDirectionAndTolerance() {
        // down is good: target 50, tolerance 10 % → amber up to 55
        assertEquals("green", Rag.status(50.0, 50.0, 10, false));
        assertEquals("green", Rag.status(12.0, 50.0, 10, false));
        assertEquals("amber", Rag.status(55.0, 50.0, 10, false));
        assertEquals("red", Rag.status(55.01, 50.0, 10, false));
        // up is good: target 45 → amber down to 40.5
        assertEquals("green", Rag.status(50.0, 45.0, 10, true));
        assertEquals("amber", Rag.status(40.5, 45.0, 10, true));
        assertEquals("red", Rag.status(40.0, 45.0, 10, true));
        assertEquals("red", Rag.status(1.0, 0.0, 10, false), "a zero target has no amber band");
        assertNull(Rag.status(null, 45.0, 10, true));
        assertNull(Rag.status(3.0, null, 10, true));
    }

    @Test
    void quarterLabelsCrossTheYearEnd() {
        List<IndicatorTable.Period> q = IndicatorTable.periods(IndicatorTable.Interval.QUARTER, LocalDate.of(2024, 11, 15), LocalDate.of(2025, 4, 2));
        assertEquals(List.of("Q3 24/25", "Q4 24/25", "Q1 25/26"), q.stream().map(IndicatorTable.Period::label).toList());
        assertEquals(LocalDate.of(2025, 1, 1), q.get(1).start());
        assertEquals(LocalDate.of(2025, 3, 31), q.get(1).end(), "Q4 = January–March belongs to the financial year that began the April before");
        assertEquals(LocalDate.of(2024, 10, 1), q.get(0).start(), "the window is widened to whole quarters");
        assertEquals(LocalDate.of(2025, 6, 30), q.get(2).end());
        assertEquals(3, IndicatorTable.periodCount(IndicatorTable.Interval.QUARTER, LocalDate.of(2024, 11, 15), LocalDate.of(2025, 4, 2)));
        List<IndicatorTable.Period> century = IndicatorTable.periods(IndicatorTable.Interval.QUARTER, LocalDate.of(2000, 2, 1), LocalDate.of(2000, 2, 1));
        assertEquals("Q4 99/00", century.get(0).label());
        List<IndicatorTable.Period> months = IndicatorTable.periods(IndicatorTable.Interval.MONTH, LocalDate.of(2024, 12, 31), LocalDate.of(2025, 1, 1));
        assertEquals(List.of("2024-12", "2025-01"), months.stream().map(IndicatorTable.Period::label).toList());
    }

    @Test
    void periodsOfImportedValues() {
        assertEquals(new IndicatorPeriod(LocalDate.of(2025, 1, 1), LocalDate.of(2025, 3, 31), "Q4 24/25"), IndicatorPeriod.parse("Q4 24/25").orElseThrow());
        assertEquals(new IndicatorPeriod(LocalDate.of(2025, 1, 1), LocalDate.of(2025, 3, 31), "Q4 24/25"), IndicatorPeriod.parse("q4 24/25").orElseThrow());
        assertEquals(new IndicatorPeriod(LocalDate.of(1999, 4, 1), LocalDate.of(2000, 3, 31), "99/00"), IndicatorPeriod.parse("99/00").orElseThrow());
        assertEquals(new IndicatorPeriod(LocalDate.of(2024, 4, 1), LocalDate.of(2025, 3, 31), "24/25"), IndicatorPeriod.parse("2024/25").orElseThrow());
        assertEquals(new IndicatorPeriod(LocalDate.of(2024, 2, 1), LocalDate.of(2024, 2, 29), "2024-02"), IndicatorPeriod.parse("2024-02").orElseThrow());
        assertEquals(new IndicatorPeriod(LocalDate.of(2024, 5, 15), LocalDate.of(2024, 5, 15), "2024-05-15"), IndicatorPeriod.parse(" 2024-05-15 ").orElseThrow());
        assertEquals(new IndicatorPeriod(LocalDate.of(2019, 1, 1), LocalDate.of(2019, 12, 31), "2019"), IndicatorPeriod.parse("2019").orElseThrow());
        for (String bad : List.of("", "Q5 24/25", "Q1 24/26", "2024-13", "2024-02-30", "24/26", "spring", "Q1 2024")) {
            assertTrue(IndicatorPeriod.parse(bad).isEmpty(), bad);
        }
    }
}
