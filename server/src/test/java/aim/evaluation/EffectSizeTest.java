package aim.evaluation;

import aim.core.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RES and WDQ on counts worked out by hand (the interval with z = 1.96), including zeros. */
class EffectSizeTest {
    private static final double E = 1e-9;

    private static EffectSize.Counts n(long before, long after) {
        return new EffectSize.Counts(before, after);
    }

    @Test
    void resIsTheOddsRatioWithItsLogInterval() {
        // a=100, b=50, c=200, d=200: RES = 100·200 / (50·200) = 2; se = √(1/100+1/50+1/200+1/200) = √0.04 = 0.2
        EffectSize.Res r = EffectSize.res(n(100, 50), n(200, 200));
        assertEquals(2.0, r.value(), E);
        assertEquals(2 * Math.exp(-EffectSize.Z95 * 0.2), r.low(), E);
        assertEquals(2 * Math.exp(EffectSize.Z95 * 0.2), r.high(), E);
        assertEquals(1.35142, r.low(), 1e-5);
        assertEquals(2.95985, r.high(), 1e-5);
        assertFalse(r.zeroCorrection());
    }

    @Test
    void aZeroCountAddsAHalfToEveryCount() {
        // a=10, b=0, c=20, d=20 → 10.5, 0.5, 20.5, 20.5: RES = 10.5·20.5 / (0.5·20.5) = 21
        EffectSize.Res r = EffectSize.res(n(10, 0), n(20, 20));
        assertTrue(r.zeroCorrection());
        assertEquals(21.0, r.value(), E);
        double se = Math.sqrt(1 / 10.5 + 1 / 0.5 + 2 / 20.5);
        assertEquals(21 * Math.exp(-EffectSize.Z95 * se), r.low(), E);
        assertEquals(1.15279, r.low(), 1e-5);
        assertEquals(382.549, r.high(), 1e-3);
    }

    @Test
    void noIncidentsInTheTargetOrTheControlInBothPeriodsGivesNoRes() {
        assertEquals(new EffectSize.Res(null, null, null, false), EffectSize.res(n(0, 0), n(20, 30)));
        assertEquals(new EffectSize.Res(null, null, null, false), EffectSize.res(n(4, 2), n(0, 0)));
    }

    @Test
    void wdqReadsDisplacementAndDiffusion() {
        // target 100 → 50 against control 200 → 200: denominator 50/200 − 100/200 = −0.25
        EffectSize.Counts t = n(100, 50), c = n(200, 200);
        assertEquals(-0.25, EffectSize.successMeasure(t, c), E);
        assertReading(t, n(40, 60), c, -0.4, "displacement");          // (60−40)/200 / −0.25
        assertReading(t, n(40, 150), c, -2.2, "displacement-exceeds"); // 110/200 / −0.25
        assertReading(t, n(40, 40), c, 0.0, "no-displacement");
        assertReading(t, n(40, 20), c, 0.4, "diffusion");
        assertReading(t, n(40, 0), c, 0.8, "diffusion");
        assertReading(t, n(100, 0), c, 2.0, "diffusion-exceeds");
        assertReading(t, n(0, 0), c, 0.0, "no-displacement");          // an empty buffer: numerator 0
    }

    @Test
    void wdqIsNullWhenItsRatiosOrItsDenominatorAreUndefined() {
        assertNull(EffectSize.wdq(n(10, 5), n(3, 4), n(0, 5)), "control empty before");
        assertNull(EffectSize.wdq(n(10, 5), n(3, 4), n(5, 0)), "control empty after");
        assertNull(EffectSize.wdq(n(10, 10), n(3, 4), n(20, 20)), "target changed as the control did");
        assertNull(EffectSize.wdq(n(1, 3), n(3, 4), n(3, 9)), "equal ratios 1/3 and 3/9: denominator exactly 0");
        assertEquals("undefined", reading(n(10, 5), n(3, 4), n(0, 5)).reading());
        assertEquals("undefined", reading(n(10, 10), n(3, 4), n(20, 20)).reading());
        assertTrue(reading(n(0, 0), n(0, 0), n(0, 0)).text().startsWith("No relative effect size"));
    }

    @Test
    void aTargetThatRoseRelativeToTheControlIsNotReadAsDisplacement() {
        // 10 → 20 against 20 → 20: denominator +0.5; buffer 5 → 10: numerator 0.25, WDQ 0.5 (not read)
        assertEquals(0.5, EffectSize.wdq(n(10, 20), n(5, 10), n(20, 20)), E);
        EffectReading r = reading(n(10, 20), n(5, 10), n(20, 20));
        assertEquals("no-improvement", r.reading());
        assertTrue(r.text().contains("rose relative to the control"), r.text());
    }

    @Test
    void everyZeroCaseSerialisesWithoutNaNOrInfinity() throws Exception {
        for (List<EffectSize.Counts> z : List.of(List.of(n(0, 0), n(0, 0), n(0, 0)), List.of(n(0, 5), n(0, 0), n(7, 0)),
                List.of(n(5, 0), n(1, 0), n(0, 3)), List.of(n(0, 1), n(0, 0), n(1, 0)))) {
            EffectSize.Res res = EffectSize.res(z.get(0), z.get(2));
            Double wdq = EffectSize.wdq(z.get(0), z.get(1), z.get(2));
            String json = Json.mapper().writeValueAsString(List.of(res, wdq == null ? "null" : wdq, reading(z.get(0), z.get(1), z.get(2))));
            assertFalse(json.contains("NaN") || json.contains("Infinity"), json);
        }
    }

    private static EffectReading reading(EffectSize.Counts t, EffectSize.Counts b, EffectSize.Counts c) {
        return EffectReading.of(t, b, c, EffectSize.res(t, c), EffectSize.wdq(t, b, c));
    }

    private static void assertReading(EffectSize.Counts t, EffectSize.Counts b, EffectSize.Counts c, double wdq, String reading) {
        assertEquals(wdq, EffectSize.wdq(t, b, c), E);
        assertEquals(reading, reading(t, b, c).reading(), "WDQ " + wdq);
    }
}
