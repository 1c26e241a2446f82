package aim.boundaries;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OnsFieldNamesTest {

    @Test
    void findsOnsFieldsOfAnyYearPreferringTheLevelsOwnPrefix() {
        var wards13 = OnsFieldNames.detect(List.of("WD13CD", "WD13CDO", "WD13NM", "WD13NMW"), BoundaryLevel.WARD).orElseThrow();
        assertEquals(new OnsFieldNames.Detected("WD13CD", "WD13NM", "13"), wards13);

        var wards24 = OnsFieldNames.detect(List.of("FID", "LAD24CD", "LAD24NM", "WD24CD", "WD24NM"), BoundaryLevel.WARD).orElseThrow();
        assertEquals("WD24CD", wards24.codeField());
        assertEquals("24", wards24.onsYear());

        var lsoa = OnsFieldNames.detect(List.of("LSOA11CD", "LSOA11NM"), BoundaryLevel.LSOA).orElseThrow();
        assertEquals("LSOA11NM", lsoa.nameField());

        var lowercase = OnsFieldNames.detect(List.of("wd22cd", "wd22nm"), BoundaryLevel.WARD).orElseThrow();
        assertEquals("wd22cd", lowercase.codeField());
    }

    @Test
    void fallsBackToPlainCodeAndNameOrFindsNothing() {
        var plain = OnsFieldNames.detect(List.of("Name", "CODE", "notes"), BoundaryLevel.ZONE).orElseThrow();
        assertEquals("CODE", plain.codeField());
        assertEquals(null, plain.onsYear());
        assertTrue(OnsFieldNames.detect(List.of("id", "label"), BoundaryLevel.WARD).isEmpty());
        assertTrue(OnsFieldNames.detect(List.of("WD13CD"), BoundaryLevel.WARD).isEmpty(), "a code without its name field");
    }
}
