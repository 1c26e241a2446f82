package aim.publicdata;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The suppression rule, and an attacker who sees every number the public view can publish about a small
 * table (every window, every category choice, wards and neighbourhoods, every total) and tries every
 * possible value of each suppressed count: each must stay possible at every value from 1 to 4.
 */
class SuppressionTest {
    private final Suppression s = new Suppression(5);

    @Test
    void smallCountsAreShownAsLessThanTheThreshold() {
        assertEquals(0L, s.published(s.base(0)));
        for (int n = 1; n <= 4; n++) assertEquals("<5", s.published(s.base(n)));
        assertEquals(5L, s.published(s.base(5)));
        assertEquals(123L, s.published(s.base(123)));
        assertEquals("<4", new Suppression(4).published(new Suppression(4).base(3)));
        assertEquals(4L, new Suppression(4).published(new Suppression(4).base(4)));
    }

    @Test
    void aThresholdUnderThreeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Suppression(2));
        assertThrows(IllegalArgumentException.class, () -> new Suppression(0));
        assertEquals(3, new Suppression(3).below());
    }

    @Test
    void theConfiguredThresholdIsFiveByDefaultAndNeverUnderThree() {
        assertEquals(5, aim.Config.fromEnvironment(java.util.Map.of()).publicSuppressBelow());
        assertEquals(10, aim.Config.fromEnvironment(java.util.Map.of("AIM_PUBLIC_SUPPRESS_BELOW", "10")).publicSuppressBelow());
        for (String bad : List.of("2", "1", "0", "-5", "five")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> aim.Config.fromEnvironment(java.util.Map.of("AIM_PUBLIC_SUPPRESS_BELOW", bad)));
            assertTrue(e.getMessage().contains("AIM_PUBLIC_SUPPRESS_BELOW"), e.getMessage());
        }
    }

    @Test
    void totalsAreExactOnlyWhenNoPartIsSuppressed() {
        assertEquals(17L, s.published(Suppression.sum(List.of(s.base(5), s.base(12), s.base(0)))));
        // 1 + 5: a naive total of 6 would give the 1 away; the published total is the range its parts allow
        assertEquals("6–9", s.published(Suppression.sum(List.of(s.base(1), s.base(5)))));
        assertEquals("<9", s.published(Suppression.sum(List.of(s.base(1), s.base(1)))));
        assertEquals("<5", s.published(Suppression.sum(List.of(s.base(3), s.base(0)))));
        assertEquals("5–20", s.published(Suppression.sum(List.of(s.base(1), s.base(1), s.base(1), s.base(1), s.base(1)))));
    }

    @Test
    void noPublishedTextShowsANumberUnderTheThreshold() {
        for (long a = 0; a <= 12; a++) {
            for (long b = 0; b <= 12; b++) {
                for (long c = 0; c <= 6; c++) {
                    String text = s.text(Suppression.sum(List.of(s.base(a), s.base(b), s.base(c))));
                    for (String number : text.split("[^0-9]+")) {
                        if (number.isEmpty()) continue;
                        long n = Long.parseLong(number);
                        assertFalse(n >= 1 && n <= 4, text + " shows " + n);
                    }
                }
            }
        }
    }

    // [ward][month][category]; wards 0 and 1 form one neighbourhood, ward 2 another
    private static final int[][][] TABLE = {
            {{1, 7}, {5, 0}, {0, 3}},
            {{6, 4}, {12, 5}, {9, 0}},
            {{0, 0}, {2, 8}, {5, 1}},
    };
    private static final int[][] NEIGHBOURHOODS = {{0, 1}, {2}};

    @Test
    void noSuppressedCountCanBeRecoveredFromEverythingPublished() {
        assertEveryValueStaysPossible(this::publishAll, true);
    }

    @Test
    void theAttackerRecoversCountsFromExactTotals() {
        // the same attack against exact totals (what a naive publisher would print) does recover counts: the test has teeth
        assertEveryValueStaysPossible(t -> publishNaive(t), false);
    }

    /** Tries every value 1..4 of every suppressed count; {@code safe}: each stays possible; else: some is pinned. */
    private void assertEveryValueStaysPossible(Function<int[][][], List<String>> publish, boolean safe) {
        List<int[]> suppressed = new ArrayList<>();
        for (int w = 0; w < TABLE.length; w++)
            for (int m = 0; m < TABLE[w].length; m++)
                for (int c = 0; c < TABLE[w][m].length; c++)
                    if (TABLE[w][m][c] >= 1 && TABLE[w][m][c] <= 4) suppressed.add(new int[]{w, m, c});
        assertEquals(5, suppressed.size());
        List<String> seen = publish.apply(TABLE);
        List<Set<Integer>> possible = new ArrayList<>();
        suppressed.forEach(x -> possible.add(new HashSet<>()));
        int k = suppressed.size();
        for (int code = 0; code < Math.pow(4, k); code++) {
            int[][][] guess = copy(TABLE);
            int rest = code;
            for (int[] at : suppressed) {
                guess[at[0]][at[1]][at[2]] = 1 + rest % 4;
                rest /= 4;
            }
            if (!publish.apply(guess).equals(seen)) continue;
            for (int x = 0; x < k; x++) possible.get(x).add(guess[suppressed.get(x)[0]][suppressed.get(x)[1]][suppressed.get(x)[2]]);
        }
        boolean allOpen = possible.stream().allMatch(p -> p.equals(Set.of(1, 2, 3, 4)));
        if (safe) assertTrue(allOpen, "values still possible per suppressed count: " + possible);
        else assertFalse(allOpen, "the naive publication should give a count away");
    }

    /** Everything the public view publishes about the table, in a fixed order (as PublicCounts builds it). */
    private List<String> publishAll(int[][][] t) {
        List<String> out = new ArrayList<>();
        int months = t[0].length, categories = t[0][0].length;
        List<int[]> choices = new ArrayList<>();
        for (int c = 0; c < categories; c++) choices.add(new int[]{c});
        choices.add(new int[]{0, 1}); // all categories
        for (int[] cats : choices) {
            for (int from = 0; from < months; from++) {
                for (int to = from; to < months; to++) {
                    for (int[][] level : List.of(new int[][]{{0}, {1}, {2}}, NEIGHBOURHOODS)) {
                        Suppression.Value[] monthTotals = new Suppression.Value[to - from + 1];
                        java.util.Arrays.fill(monthTotals, Suppression.Value.ZERO);
                        for (int[] area : level) {
                            List<Suppression.Value> row = new ArrayList<>();
                            for (int m = from; m <= to; m++) {
                                Suppression.Value v = Suppression.Value.ZERO;
                                for (int w : area) for (int c : cats) v = v.plus(s.base(t[w][m][c]));
                                row.add(v);
                                out.add(s.text(v));
                                monthTotals[m - from] = monthTotals[m - from].plus(v);
                            }
                            out.add(s.text(Suppression.sum(row)));
                        }
                        for (Suppression.Value v : monthTotals) out.add(s.text(v));
                        out.add(s.text(Suppression.sum(List.of(monthTotals))));
                    }
                }
            }
        }
        return out;
    }

    /** The base cells suppressed, but every total exact. */
    private List<String> publishNaive(int[][][] t) {
        List<String> out = new ArrayList<>();
        for (int w = 0; w < t.length; w++) {
            long rowTotal = 0;
            for (int m = 0; m < t[w].length; m++) {
                for (int c = 0; c < t[w][m].length; c++) {
                    out.add(s.text(s.base(t[w][m][c])));
                    rowTotal += t[w][m][c];
                }
            }
            out.add(Long.toString(rowTotal));
        }
        return out;
    }

    private static int[][][] copy(int[][][] t) {
        int[][][] out = new int[t.length][][];
        for (int w = 0; w < t.length; w++) {
            out[w] = new int[t[w].length][];
            for (int m = 0; m < t[w].length; m++) out[w][m] = t[w][m].clone();
        }
        return out;
    }
}
