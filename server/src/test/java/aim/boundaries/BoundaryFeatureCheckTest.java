package aim.boundaries;

import org.junit.jupiter.api.Test;
import org.locationtech.jts.io.WKTReader;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BoundaryFeatureCheckTest {
    private final WKTReader wkt = new WKTReader();

    private SourceFeature feature(String code, String name, String geometry) throws Exception {
        Map<String, Object> p = new HashMap<>();
        p.put("code", code);
        p.put("name", name);
        return new SourceFeature(7, p, geometry == null ? null : wkt.read(geometry), geometry == null ? "the feature has no geometry" : null);
    }

    @Test
    void acceptsAValidPolygonInEitherCrs() throws Exception {
        var wgs84 = BoundaryFeatureCheck.check(feature("A", "Acklam", "POLYGON ((-1.26 54.54, -1.25 54.54, -1.25 54.55, -1.26 54.54))"), 4326, "code", "name");
        assertTrue(wgs84.accepted());
        assertTrue(wgs84.issues().isEmpty());
        var bng = BoundaryFeatureCheck.check(feature("A", "Acklam", "POLYGON ((450000 515000, 451000 515000, 451000 516000, 450000 515000))"), 27700, "code", "name");
        assertTrue(bng.accepted());
    }

    @Test
    void repairsABowTieAndSaysWhere() throws Exception {
        var result = BoundaryFeatureCheck.check(feature("A", "Bow", "POLYGON ((0 50, 1 51, 1 50, 0 51, 0 50))"), 4326, "code", "name");
        assertTrue(result.accepted());
        assertEquals("repaired", result.issues().get(0).severity());
        assertEquals("0.5 50.5", result.issues().get(0).location());
        assertEquals("feature 7", result.issues().get(0).where());
        assertEquals(0.5, result.geometry().getArea(), 1e-9, "both triangles kept");
    }

    @Test
    void rejectsWhatCannotBeAnArea() throws Exception {
        var point = BoundaryFeatureCheck.check(feature("A", "Pt", "POINT (-1.2 54.5)"), 4326, "code", "name");
        assertFalse(point.accepted());
        assertTrue(point.issues().get(0).message().contains("Point is not an area"));

        var paris = BoundaryFeatureCheck.check(feature("A", "Paris", "POLYGON ((2.3 48.8, 2.4 48.8, 2.4 48.9, 2.3 48.8))"), 4326, "code", "name");
        assertFalse(paris.accepted());
        assertTrue(paris.issues().get(0).message().contains("outside Great Britain"));

        var metresAsDegrees = BoundaryFeatureCheck.check(feature("A", "BNG", "POLYGON ((450000 515000, 451000 515000, 451000 516000, 450000 515000))"), 4326, "code", "name");
        assertFalse(metresAsDegrees.accepted(), "British National Grid metres read as degrees lie far outside GB");

        var noGeometry = BoundaryFeatureCheck.check(feature("A", "None", null), 4326, "code", "name");
        assertEquals("geometry", noGeometry.issues().get(0).field());

        var noName = BoundaryFeatureCheck.check(feature("A", " ", "POLYGON ((-1.26 54.54, -1.25 54.54, -1.25 54.55, -1.26 54.54))"), 4326, "code", "name");
        assertFalse(noName.accepted());
        assertEquals("name", noName.issues().get(0).field());
    }

    @Test
    void simplificationToleranceRoundsDownToTheLadder() {
        assertEquals(0, CoverageSimplification.roundDown(0));
        assertEquals(5, CoverageSimplification.roundDown(7));
        assertEquals(50, CoverageSimplification.roundDown(99));
        assertEquals(2000, CoverageSimplification.roundDown(2000));
    }
}
