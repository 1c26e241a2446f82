package aim.incidents;

import aim.core.DomainException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Column mappings, inline and JSON, and the mistakes they refuse. */
class CouncilColumnMappingTest {

    @Test
    void anInlineMappingNamesColumnsWithSpaces() {
        var m = CouncilColumnMapping.parse("category=Type,occurred=Date Reported, easting=X ,northing=Y,id=Ref,description=Notes");
        assertEquals("Date Reported", m.column("occurred"));
        assertEquals("X", m.column("easting"));
        assertEquals("Notes", m.column("description"));
        assertNull(m.column("lon"));
    }

    @Test
    void aJsonMappingCarriesTranslationTables() {
        var m = CouncilColumnMapping.parse("""
                {"id": "Ref", "category": "Type", "occurred": "When", "lon": "Lng", "lat": "Lat", "fly-size": "Size",
                 "category-values": {"Noise Nuisance": "asb-noise", "Dumped rubbish": "fly-tipping"},
                 "fly_size-values": {"bags": "single-black-bag"}}""");
        assertEquals("Size", m.column("fly_size"));
        assertEquals("asb-noise", m.translate("category", "noise nuisance"));
        assertEquals("fly-tipping", m.translate("category", " DUMPED RUBBISH "));
        assertEquals("single-black-bag", m.translate("fly_size", "Bags"));
        assertNull(m.translate("category", "Graffiti"));
        assertEquals(Map.of(), CouncilColumnMapping.parse("id=a,category=b,occurred=c").values());
    }

    @Test
    void mistakesAre400sAboutTheMap() {
        for (String bad : new String[]{"", "id=Ref,category=Type", "id=Ref,category=Type,occurred=D,colour=C",
                "id=Ref,category=Type,occurred=D,lon=X", "id=Ref,category=Type,occurred=D,lon=X,lat=Y,easting=E,northing=N",
                "id=Ref,category=Type,occurred=D,id=Other", "id=Ref,category,occurred=D", "{\"id\": 3}", "{not json",
                "{\"id\":\"R\",\"category\":\"T\",\"occurred\":\"D\",\"ward-values\":{}}"}) {
            DomainException p = assertThrows(DomainException.class, () -> CouncilColumnMapping.parse(bad), bad);
            assertEquals(400, aim.web.Problems.status(p), bad);
            assertEquals("map", p.field(), bad);
        }
        DomainException unknown = assertThrows(DomainException.class, () -> CouncilColumnMapping.parse("id=Ref,category=Type,occurred=D,colour=C"));
        assertTrue(unknown.getMessage().contains("unknown field 'colour'"), unknown.getMessage());
    }
}
