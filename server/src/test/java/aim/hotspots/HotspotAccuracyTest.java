package aim.hotspots;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HotspotAccuracyTest {

    @Test
    void hitRateAndPaiOfTheTopCells() {
        // 100 cells of 250 m (0.0625 km² each); share 3% → the 3 top-ranked cells
        double[] score = new double[100], test = new double[100];
        score[10] = 9;
        score[20] = 8;
        score[30] = 7;
        score[40] = 6; // 4th: outside the predicted area
        test[10] = 5;
        test[20] = 3;
        test[40] = 10;
        test[77] = 2;
        GridCounts cells = GiStarTest.block(new SquareGrid(250), 0, 0, 10, 10, new double[100]);
        HotspotAccuracy.Result r = HotspotAccuracy.evaluate("gistar", cells, score, test, 20, 3);
        assertEquals(3, r.cells());
        assertEquals(3 * 0.0625, r.a(), 1e-12);
        assertEquals(100 * 0.0625, r.areaAll(), 1e-12);
        assertEquals(8, r.n());
        assertEquals(20, r.total());
        assertEquals(0.4, r.hitRate(), 1e-12);
        // PAI = (8/20) / (3/100) = 13.33
        assertEquals(0.4 / 0.03, r.pai(), 1e-9);
        assertEquals(Double.NaN, HotspotAccuracy.evaluate("grid", cells, score, new double[100], 0, 3).pai());
    }

    @Test
    void testWindowIsTheNextPeriodOfTheSameLength() {
        var months = HotspotAccuracy.windows(LocalDate.of(2025, 1, 1), LocalDate.of(2025, 3, 31), null, null);
        assertEquals(LocalDate.of(2025, 4, 1), months.testFrom());
        assertEquals(LocalDate.of(2025, 6, 30), months.testTo());
        var days = HotspotAccuracy.windows(LocalDate.of(2025, 6, 10), LocalDate.of(2025, 6, 16), null, null);
        assertEquals(LocalDate.of(2025, 6, 17), days.testFrom());
        assertEquals(LocalDate.of(2025, 6, 23), days.testTo());
        var given = HotspotAccuracy.windows(LocalDate.of(2025, 1, 1), LocalDate.of(2025, 3, 31),
                LocalDate.of(2025, 5, 1), LocalDate.of(2025, 5, 31));
        assertEquals(LocalDate.of(2025, 5, 1), given.testFrom());
        assertEquals(LocalDate.of(2025, 5, 31), given.testTo());
    }
}
