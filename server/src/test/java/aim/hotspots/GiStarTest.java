package aim.hotspots;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Gi* against hand computations and a brute-force all-pairs evaluation of the Ord &amp; Getis formula. */
class GiStarTest {

    /** A w × h block of cells starting at (i0, j0) with the given counts (row by row, j outer). */
    static GridCounts block(Grid grid, int i0, int j0, int w, int h, double[] counts) {
        int n = w * h;
        int[] i = new int[n], j = new int[n];
        for (int b = 0, k = 0; b < h; b++) {
            for (int a = 0; a < w; a++, k++) {
                i[k] = i0 + a;
                j[k] = j0 + b;
            }
        }
        return new GridCounts(grid, i, j, counts);
    }

    @Test
    void oneHotCellInAFiveByFiveGridByHand() {
        // 25 cells, all 0 but the centre (2,2) = 10: X̄ = 0.4, S = √(100/25 − 0.16) = √3.84.
        // Centre: 9 neighbours (3×3 queen, itself included), Σx = 10:
        //   (10 − 0.4·9) / (√3.84 · √((25·9 − 81)/24)) = 6.4 / √(3.84·6) = 6.4 / 4.8 = 4/3.
        // Corner (0,0): 4 neighbours, Σx = 0: −1.6 / √(3.84 · (100 − 16)/24) = −1.6 / √13.44.
        double[] counts = new double[25];
        counts[2 * 5 + 2] = 10;
        GridCounts cells = block(new SquareGrid(250), 100, 200, 5, 5, counts);
        GiStar.Result gi = GiStar.compute(cells, GiStar.defaultBand(cells.grid()));
        assertEquals(4.0 / 3.0, gi.z()[12], 1e-12);
        assertEquals(-1.6 / Math.sqrt(13.44), gi.z()[0], 1e-12);
        assertEquals(9, gi.neighbours()[12]);
        assertEquals(4, gi.neighbours()[0]);
        assertEquals(6, gi.neighbours()[1], "an edge cell has 6 neighbours with itself");
        assertEquals(0.4, gi.mean(), 1e-15);
        assertEquals(Math.sqrt(3.84), gi.standardDeviation(), 1e-12);
        // p two-sided: z = 4/3 → 2·(1 − Φ(1.3333)) = 0.18242...
        assertEquals(0.182422, gi.p()[12], 1e-6);
    }

    @Test
    void fiveByFiveRandomCountsMatchTheFormulaComputedOverAllPairs() {
        Random random = new Random(42);
        double[] counts = new double[25];
        for (int k = 0; k < 25; k++) counts[k] = random.nextInt(12);
        for (double band : new double[]{250, 375, 500, 600, 700}) {
            GridCounts cells = block(new SquareGrid(250), 1800, 2060, 5, 5, counts);
            GiStar.Result gi = GiStar.compute(cells, band);
            double[] expected = bruteForce(cells, band);
            for (int k = 0; k < 25; k++) assertEquals(expected[k], gi.z()[k], 1e-9, "cell " + k + " band " + band);
        }
    }

    @Test
    void hexagonsMatchTheFormulaComputedOverAllPairs() {
        Random random = new Random(7);
        int w = 7, h = 6;
        double[] counts = new double[w * h];
        for (int k = 0; k < counts.length; k++) counts[k] = random.nextInt(20);
        Grid hex = new HexGrid(100);
        // odd and even starting columns, default band (the six adjacent hexagons) and a wider one
        for (int i0 : new int[]{3000, 3001}) {
            for (double band : new double[]{GiStar.defaultBand(hex), 400}) {
                GridCounts cells = block(hex, i0, 2974, w, h, counts);
                GiStar.Result gi = GiStar.compute(cells, band);
                double[] expected = bruteForce(cells, band);
                for (int k = 0; k < counts.length; k++) assertEquals(expected[k], gi.z()[k], 1e-9);
            }
        }
        GiStar.Result gi = GiStar.compute(block(hex, 3000, 2974, w, h, counts), GiStar.defaultBand(hex));
        assertEquals(7, gi.neighbours()[2 * w + 3], "an inner hexagon has 6 neighbours and itself");
    }

    @Test
    void undefinedStatisticsAreZeroNotNaN() {
        GridCounts flat = block(new SquareGrid(100), 0, 0, 3, 3, new double[]{2, 2, 2, 2, 2, 2, 2, 2, 2});
        GiStar.Result gi = GiStar.compute(flat, 150);
        for (double z : gi.z()) assertEquals(0, z);
        for (double p : gi.p()) assertEquals(1, p, 1e-15);
        // band covering every cell: Σw = n, the neighbourhood sum never varies
        GridCounts small = block(new SquareGrid(100), 0, 0, 2, 2, new double[]{1, 5, 0, 2});
        for (double z : GiStar.compute(small, 150).z()) assertEquals(0, z);
    }

    @Test
    void twoSidedPIsAccurateInTheTail() {
        assertEquals(0.05, GiStar.twoSidedP(1.959963984540054), 1e-12);
        assertEquals(0.01, GiStar.twoSidedP(-2.5758293035489), 1e-12);
        double p8 = GiStar.twoSidedP(8);
        assertTrue(p8 > 1.2e-15 && p8 < 1.3e-15, "p(8) = " + p8);
    }

    /**
     * The Ord &amp; Getis (1995) G*_i written out over all pairs: w_ij = 1 when the centres are within
     * the band (i = j included), X̄ and S = √(Σx²/n − X̄²) over all n cells.
     */
    static double[] bruteForce(GridCounts cells, double band) {
        int n = cells.n();
        Grid g = cells.grid();
        double sum = 0, sumSq = 0;
        for (int k = 0; k < n; k++) {
            sum += cells.count(k);
            sumSq += cells.count(k) * cells.count(k);
        }
        double mean = sum / n, s = Math.sqrt(sumSq / n - mean * mean);
        double[] z = new double[n];
        for (int a = 0; a < n; a++) {
            double wx = 0, w = 0, w2 = 0;
            for (int b = 0; b < n; b++) {
                double d = Math.hypot(g.centreX(cells.i(a), cells.j(a)) - g.centreX(cells.i(b), cells.j(b)),
                        g.centreY(cells.i(a), cells.j(a)) - g.centreY(cells.i(b), cells.j(b)));
                double weight = d <= band + 1e-6 ? 1 : 0;
                wx += weight * cells.count(b);
                w += weight;
                w2 += weight * weight;
            }
            z[a] = (wx - mean * w) / (s * Math.sqrt((n * w2 - w * w) / (n - 1)));
        }
        return z;
    }
}
