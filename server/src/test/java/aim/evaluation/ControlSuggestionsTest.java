package aim.evaluation;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Level and trend by hand, and the ranking on the standardised scale. */
class ControlSuggestionsTest {
    @Test
    void levelIsTheMeanAndTrendTheLeastSquaresSlope() {
        assertEquals(4.0, ControlSuggestions.level(new long[]{2, 4, 6}), 1e-12);
        assertEquals(2.0, ControlSuggestions.trend(new long[]{2, 4, 6}), 1e-12);
        assertEquals(-1.0, ControlSuggestions.trend(new long[]{3, 2, 1, 0}), 1e-12);
        assertEquals(0.0, ControlSuggestions.trend(new long[]{5}), 1e-12);
        assertEquals(0.0, ControlSuggestions.level(new long[0]), 1e-12);
    }

    @Test
    void theWardsMostAlikeInLevelAndTrendComeFirst() {
        long[] target = {10, 12, 14}; // level 12, trend 2
        var same = new ControlSuggestions.Candidate("W3", "Same", new long[]{10, 12, 14});
        var flat = new ControlSuggestions.Candidate("W1", "Flat", new long[]{12, 12, 12});
        var far = new ControlSuggestions.Candidate("W2", "Far", new long[]{40, 30, 20});
        var tie = new ControlSuggestions.Candidate("W0", "Same too", new long[]{10, 12, 14});
        List<ControlSuggestions.Suggestion> ranked = ControlSuggestions.rank(target, List.of(same, flat, far, tie), 3);
        assertEquals(List.of("W0", "W3", "W1"), ranked.stream().map(ControlSuggestions.Suggestion::code).toList());
        assertEquals(0.0, ranked.get(0).distance());
        assertEquals(12.0, ranked.get(2).level());
        assertEquals(0.0, ranked.get(2).trend());
        assertEquals(List.of(), ControlSuggestions.rank(target, List.of(), 5));
    }
}
