package aim.hotspots;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KernelDensityTest {

    @Test
    void densitiesFollowTheQuarticKernelAndKeepTheIncidentCount() {
        // 41 × 41 cells of 50 m, 100 incidents in the centre cell, h = 400 m (8 cells)
        int w = 41, centre = 20 * w + 20;
        double[] counts = new double[w * w];
        counts[centre] = 100;
        GridCounts cells = GiStarTest.block(new SquareGrid(50), 0, 0, w, w, counts);
        double[] d = KernelDensity.densities(cells, 400);
        // the density integrates to the 100 incidents: Σ density (per km²) × cell area (km²)
        double mass = 0;
        for (double v : d) mass += v * 0.0025;
        assertEquals(100, mass, 1e-9);
        // proportional to (1 − d²/h²)²: 200 m away is (1 − 0.25)² = 0.5625 of the peak
        int east4 = 20 * w + 24;
        assertEquals(0.5625, d[east4] / d[centre], 1e-12);
        // the peak is close to the continuous kernel's 100 · 3/(π h²) per m²
        double continuous = 100 * 3 / (Math.PI * 400 * 400) * 1e6;
        assertEquals(continuous, d[centre], continuous * 0.02);
        // nothing at or beyond h
        assertEquals(0, d[20 * w + 28]);
        assertEquals(0, d[0]);
    }

    @Test
    void hexagonDensitiesAreSymmetric() {
        int w = 21, centre = 10 * w + 10;
        double[] counts = new double[w * w];
        counts[centre] = 10;
        GridCounts cells = GiStarTest.block(new HexGrid(50), 100, 100, w, w, counts);
        double[] d = KernelDensity.densities(cells, 300);
        double total = 0;
        for (double v : d) total += v * new HexGrid(50).cellArea() / 1e6;
        assertEquals(10, total, 1e-9);
        // the six adjacent hexagons get the same density
        Grid.Offsets ring = new HexGrid(50).offsetsWithin(GiStar.defaultBand(new HexGrid(50)), 0);
        for (int t = 0; t < ring.size(); t++) {
            if (ring.di()[t] == 0 && ring.dj()[t] == 0) continue;
            int at = cells.indexOf(110 + ring.di()[t], 110 + ring.dj()[t]);
            assertEquals(d[cells.indexOf(110, 111)], d[at], 1e-9);
        }
    }

    @Test
    void defaultBandwidthIsTheSpatialSilvermanRuleClamped() {
        // incidents spread evenly over a 4 km square of 100 m cells, one per cell: N = 1600
        int w = 40;
        double[] counts = new double[w * w];
        java.util.Arrays.fill(counts, 1);
        GridCounts cells = GiStarTest.block(new SquareGrid(100), 4000, 5000, w, w, counts);
        // standard distance of a uniform square of side L: L/√6; median distance a little less
        double h = KernelDensity.defaultBandwidth(cells);
        double sd = 4000 / Math.sqrt(6);
        assertTrue(h <= 0.9 * sd * Math.pow(1600, -0.2) + 1e-6, "h " + h);
        assertTrue(h > 0.8 * 0.9 * sd * Math.pow(1600, -0.2), "h " + h);
        // clamped: a single cluster gives the minimum, 2 × cell
        double[] one = new double[w * w];
        one[5] = 30;
        assertEquals(200, KernelDensity.defaultBandwidth(GiStarTest.block(new SquareGrid(100), 0, 0, w, w, one)));
        assertEquals(200, KernelDensity.defaultBandwidth(GiStarTest.block(new SquareGrid(100), 0, 0, w, w, new double[w * w])));
    }

    @Test
    void topBandCoversTheShareOfCellsWithTheHighestDensities() {
        double[] d = {5, 0, 9, 1, 7, 0, 0, 3, 2, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        boolean[] top = KernelDensity.top(d, 10); // 10% of 20 cells = 2 cells
        assertTrue(top[2] && top[9]);
        int count = 0;
        for (boolean t : top) if (t) count++;
        assertEquals(2, count);
        boolean[] most = KernelDensity.top(d, 50); // 10 cells, but only 7 have any density
        count = 0;
        for (boolean t : most) if (t) count++;
        assertEquals(7, count);
        assertFalse(most[1]);
    }

    @Test
    void quantileClassesOfThePositiveDensities() {
        double[] d = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        double[] breaks = KernelDensity.quantileBreaks(d);
        assertArrayEquals(new double[]{2, 4, 6, 8}, breaks);
        assertArrayEquals(new int[]{0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5}, KernelDensity.quantileClasses(d, breaks));
    }
}
