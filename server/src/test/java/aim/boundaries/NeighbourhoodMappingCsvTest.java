package aim.boundaries;

import aim.core.DomainException;
import aim.core.Issue;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NeighbourhoodMappingCsvTest {

    @Test
    void groupsWardsByNeighbourhoodAndDerivesCodes() throws Exception {
        var parsed = NeighbourhoodMappingCsv.read(new StringReader("""
                ward_code,neighbourhood_name
                W1,North
                W2,North
                W3,South East
                """));
        assertEquals(List.of(new NeighbourhoodDefinition("NORTH", "North", List.of("W1", "W2")),
                new NeighbourhoodDefinition("SOUTH-EAST", "South East", List.of("W3"))), parsed.neighbourhoods());
        assertEquals(List.of(), parsed.issues());
    }

    @Test
    void reportsBadRowsByLine() throws Exception {
        var parsed = NeighbourhoodMappingCsv.read(new StringReader("""
                ward_code,neighbourhood_code,neighbourhood_name
                W1,N,North
                ,N,North
                W3,N,Northern
                W4,S
                """));
        assertEquals(List.of("line 3", "line 4", "line 5"), parsed.issues().stream().map(Issue::where).toList());
        assertEquals(1, parsed.neighbourhoods().size());
    }

    @Test
    void namesTheMissingColumn() {
        var problem = assertThrows(DomainException.class, () -> NeighbourhoodMappingCsv.read(new StringReader("ward,area\nW1,N\n")));
        assertEquals("neighbourhood_name", problem.field());
    }
}
