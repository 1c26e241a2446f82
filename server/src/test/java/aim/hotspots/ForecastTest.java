package aim.hotspots;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The forecast's backtest on synthetic histories whose answer is known: a stationary pattern (counts
 * win or tie), hotspots that come and go (time-weighting wins), and sparse repeat victimisation with
 * exact times (the near-repeat term wins). Each history has one more month than the backtest sees;
 * the winner's PAI on that held-out month must be at least the naive map's.
 */
class ForecastTest {
    static final int SIDE = 40;
    static final SquareGrid GRID = new SquareGrid(100);
    static final double SHARE = 3;

    /** A {@code SIDE}×{@code SIDE} study area. */
    static GridCounts cells() {
        int n = SIDE * SIDE;
        int[] i = new int[n], j = new int[n];
        for (int k = 0; k < n; k++) {
            i[k] = k / SIDE;
            j[k] = k % SIDE;
        }
        return new GridCounts(GRID, i, j, new double[n]);
    }

    static int poisson(Random r, double mean) {
        double l = Math.exp(-mean), p = 1;
        int k = 0;
        do {
            k++;
            p *= r.nextDouble();
        } while (p > l);
        return k - 1;
    }

    static int[] monthDays(int months) {
        int[] days = new int[months + 1];
        for (int m = 1; m <= months; m++) days[m] = days[m - 1] + 30;
        return days;
    }

    /** Result of running the backtest on all but the last month and scoring on the last. */
    record HeldOut(Forecast.Backtest backtest, double winnerPai, double naivePai) {
    }

    static HeldOut heldOut(Forecast.History h, int naiveMonths, boolean exactTime) {
        int end = h.months().length - 1;
        List<Forecast.Candidate> candidates = Forecast.candidates(naiveMonths, GRID, exactTime);
        Forecast.Backtest b = Forecast.backtest(h, candidates, end, 1, Forecast.DEFAULT_FOLDS, SHARE);
        double[] test = h.months()[end];
        long total = Math.round(Forecast.sum(test));
        double winner = HotspotAccuracy.evaluate("w", h.cells(), Forecast.score(h, b.winner().candidate(), end), test, total, SHARE).pai();
        double naive = HotspotAccuracy.evaluate("n", h.cells(), Forecast.score(h, candidates.get(0), end), test, total, SHARE).pai();
        System.out.printf("winner %s (%.2f) held-out %.2f vs naive %.2f; ranked %s%n", b.winner().candidate().id(),
                b.winner().meanPai(), winner, naive, b.ranked().stream().limit(6)
                        .map(s -> s.candidate().id() + "=" + String.format("%.2f", s.meanPai())).toList());
        return new HeldOut(b, winner, naive);
    }

    @Test
    void aStationaryPatternIsForecastByCounts() {
        Random r = new Random(11);
        GridCounts cells = cells();
        double[] rate = new double[cells.n()];
        Arrays.fill(rate, 0.05);
        for (int h = 0; h < 40; h++) rate[r.nextInt(cells.n())] = 1 + 4 * r.nextDouble();
        int months = 15;
        double[][] counts = new double[months][cells.n()];
        for (int m = 0; m < months; m++) for (int k = 0; k < cells.n(); k++) counts[m][k] = poisson(r, rate[k]);
        HeldOut result = heldOut(new Forecast.History(cells, counts, Forecast.RecentCounts.NONE), 3, false);
        assertEquals("counts", result.backtest().winner().candidate().family());
        assertTrue(result.winnerPai() >= result.naivePai(), result.toString());
    }

    @Test
    void hotspotsThatComeAndGoAreForecastByTimeWeighting() {
        Random r = new Random(5);
        GridCounts cells = cells();
        int months = 16;
        double[][] rate = new double[months][cells.n()];
        for (double[] row : rate) Arrays.fill(row, 0.03);
        // hot cells that switch on at random months and last 3–5 months, then go quiet
        for (int h = 0; h < 150; h++) {
            int at = r.nextInt(cells.n()), start = r.nextInt(months), life = 3 + r.nextInt(3);
            double level = 1 + 2 * r.nextDouble();
            for (int m = start; m < Math.min(months, start + life); m++) rate[m][at] += level;
        }
        double[][] counts = new double[months][cells.n()];
        for (int m = 0; m < months; m++) for (int k = 0; k < cells.n(); k++) counts[m][k] = poisson(r, rate[m][k]);
        HeldOut result = heldOut(new Forecast.History(cells, counts, Forecast.RecentCounts.NONE), 12, false);
        assertEquals("time-weighted", result.backtest().winner().candidate().family());
        assertTrue(result.winnerPai() >= result.naivePai(), result.toString());
    }

    @Test
    void sparseRepeatVictimisationWithExactTimesIsForecastByNearRepeats() {
        Random r = new Random(3);
        GridCounts cells = cells();
        int months = 14;
        int[] monthDays = monthDays(months);
        int days = monthDays[months];
        List<int[]> events = new ArrayList<>();
        // sparse background; each incident brings on average 0.6 more nearby within days (repeat victimisation)
        List<int[]> queue = new ArrayList<>();
        for (int d = 0; d < days; d++) for (int e = poisson(r, 2.0); e > 0; e--) queue.add(new int[]{r.nextInt(cells.n()), d});
        while (!queue.isEmpty()) {
            int[] e = queue.remove(queue.size() - 1);
            if (e[1] >= days) continue;
            events.add(e);
            for (int c = poisson(r, 0.6); c > 0; c--) {
                int i = cells.i(e[0]) + r.nextInt(3) - 1, j = cells.j(e[0]) + r.nextInt(3) - 1;
                int at = cells.indexOf(i, j);
                if (at < 0) continue;
                queue.add(new int[]{at, e[1] + 1 + (int) (-7 * Math.log(1 - r.nextDouble()))});
            }
        }
        double[][] counts = new double[months][cells.n()];
        int[] cell = new int[events.size()], day = new int[events.size()], n = new int[events.size()];
        for (int k = 0; k < events.size(); k++) {
            int[] e = events.get(k);
            counts[e[1] / 30][e[0]]++;
            cell[k] = e[0];
            day[k] = e[1];
            n[k] = 1;
        }
        var recent = Forecast.RecentCounts.of(cells.n(), cell, day, n, monthDays);
        HeldOut result = heldOut(new Forecast.History(cells, counts, recent), 3, true);
        assertEquals("near-repeat", result.backtest().winner().candidate().family());
        assertTrue(result.winnerPai() >= result.naivePai(), result.toString());
    }

    @Test
    void tooLittleHistoryFallsBackToTheNaiveMap() {
        Random r = new Random(1);
        GridCounts cells = cells();
        double[][] counts = new double[15][cells.n()];
        // incidents only in the last three months: two folds count
        for (int m = 12; m < 15; m++) for (int k = 0; k < cells.n(); k++) counts[m][k] = poisson(r, 0.3);
        var h = new Forecast.History(cells, counts, Forecast.RecentCounts.NONE);
        Forecast.Backtest b = Forecast.backtest(h, Forecast.candidates(3, GRID, false), 15, 1, 6, SHARE);
        assertEquals(2, b.foldsCounted());
        assertFalse(b.enoughHistory());
        assertEquals("naive", b.winner().candidate().id());
    }
}
