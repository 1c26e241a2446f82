package aim.areas;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rates per 1,000, ranks with ties, and areas without a population. */
class AreaStatisticsTest {

    private static Map<String, AreaStatistics.Row> byCode(List<AreaStatistics.Row> rows) {
        return rows.stream().collect(Collectors.toMap(AreaStatistics.Row::code, r -> r));
    }

    @Test
    void ratesPerThousandAndCompetitionRanks() {
        List<AreaStatistics.Row> rows = AreaStatistics.compute(List.of(
                new AreaStatistics.Input("A", "Low", 10, 10, 10_000, 2021),      // 1.00
                new AreaStatistics.Input("B", "High", 30, 10, 6_000, 2021),      // 5.00
                new AreaStatistics.Input("C", "Tie 1", 20, 5, 8_000, 2021),      // 2.50
                new AreaStatistics.Input("D", "Tie 2", 10, 40, 4_000, 2021),     // 2.50
                new AreaStatistics.Input("E", "Third", 7, 0, 3_000, 2021)),      // 2.333…
                91, 90);
        Map<String, AreaStatistics.Row> r = byCode(rows);
        assertEquals(5.0, r.get("B").rate());
        assertEquals(2.5, r.get("C").rate());
        assertEquals(2.33, r.get("E").rate());
        assertEquals(1, r.get("B").rank());
        assertEquals(2, r.get("C").rank());
        assertEquals(2, r.get("D").rank(), "equal rates share a rank");
        assertEquals(4, r.get("E").rank(), "the rank after a tie skips");
        assertEquals(5, r.get("A").rank());
        assertEquals(List.of("B", "C", "D", "E", "A"), rows.stream().map(AreaStatistics.Row::code).toList());
        // previous period: D 10.00, B 1.67, C 0.63, A 1.00, E 0
        assertEquals(1, r.get("D").previous().rank());
        assertEquals(2, r.get("B").previous().rank());
        assertEquals(3, r.get("A").previous().rank());
        assertEquals(4, r.get("C").previous().rank());
        assertEquals(5, r.get("E").previous().rank());
        assertEquals(10.0, r.get("D").previous().rate());
        // changes
        assertEquals(20, r.get("B").change().count());
        assertEquals(200.0, r.get("B").change().percent());
        assertEquals(3.33, r.get("B").change().rate());
        assertEquals(-75.0, r.get("D").change().percent());
        assertNull(r.get("E").change().percent(), "no percentage of nothing");
        assertEquals(PoissonChange.test(30, 91, 10, 90).pValue(), r.get("B").change().pValue());
        assertTrue(r.get("B").change().significant());
        assertFalse(r.get("A").change().significant());
    }

    @Test
    void ranksCompareExactRatesNotRoundedOnes() {
        // 1/3000 = 0.3333… and 333/1,000,000 = 0.333: both display 0.33 but are not equal
        List<AreaStatistics.Row> rows = AreaStatistics.compute(List.of(
                new AreaStatistics.Input("X", "x", 1, 0, 3_000, 2021),
                new AreaStatistics.Input("Y", "y", 333, 0, 1_000_000, 2021)), 7, 7);
        Map<String, AreaStatistics.Row> r = byCode(rows);
        assertEquals(0.33, r.get("X").rate());
        assertEquals(0.33, r.get("Y").rate());
        assertEquals(1, r.get("X").rank());
        assertEquals(2, r.get("Y").rank());
    }

    @Test
    void zeroOrMissingPopulationHasNoRateAndNoRank() {
        List<AreaStatistics.Row> rows = AreaStatistics.compute(List.of(
                new AreaStatistics.Input("Z", "Zero", 12, 3, 0, 2021),
                new AreaStatistics.Input("M", "Missing", 50, 1, null, null),
                new AreaStatistics.Input("P", "Populated", 1, 1, 5_000, 2021),
                new AreaStatistics.Input("Q", "Quiet", 0, 0, 5_000, 2021)), 30, 30);
        assertEquals(List.of("P", "Q", "M", "Z"), rows.stream().map(AreaStatistics.Row::code).toList(),
                "unranked areas come last, by code");
        for (AreaStatistics.Row row : rows.subList(2, 4)) {
            assertNull(row.rate(), row.code());
            assertNull(row.rank());
            assertNull(row.previous().rate());
            assertNull(row.previous().rank());
            assertNull(row.change().rate());
            assertEquals(AreaStatistics.NO_POPULATION, row.rateNote());
            assertTrue(Double.isFinite(row.change().pValue()));
        }
        assertEquals(0, rows.get(2).population() == null ? 0 : 1);
        assertEquals(0, rows.get(3).population());
        assertEquals(0.0, rows.get(1).rate(), "no incidents is a rate of 0, not missing");
        assertEquals(2, rows.get(1).rank());
        assertNull(rows.get(0).rateNote());
        // counts and the change test still work without a population
        assertEquals(12, rows.get(3).count());
        assertEquals(9, rows.get(3).change().count());
        assertEquals(300.0, rows.get(3).change().percent());
    }
}
