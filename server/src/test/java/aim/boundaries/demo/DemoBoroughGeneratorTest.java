package aim.boundaries.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aim.boundaries.demo.DemoBoroughGenerator.Ward;
import aim.boundaries.demo.DemoBoroughGenerator.WrittenFiles;
import aim.boundaries.demo.DemoBoroughGenerator.Zone;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.coverage.CoverageValidator;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.io.geojson.GeoJsonReader;
import org.locationtech.jts.operation.union.UnaryUnionOp;
import org.locationtech.jts.operation.valid.IsValidOp;
import org.locationtech.jts.simplify.DouglasPeuckerSimplifier;

class DemoBoroughGeneratorTest {

    private static final DemoBoroughGenerator DEMO = DemoBoroughGenerator.load();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Geometry[] wardGeometries() {
        return DEMO.wards().stream().map(Ward::geometry).toArray(Geometry[]::new);
    }

    @Test
    void hasAboutTwentyWardsWithUniqueDemoCodes() {
        assertEquals(20, DEMO.wards().size());
        assertEquals(20, DEMO.wards().stream().map(Ward::code).distinct().count());
        assertTrue(DEMO.wards().stream().allMatch(w -> w.code().startsWith("DEMO-")));
    }

    @Test
    void everyWardIsAValidPolygonWithArea() {
        for (Ward w : DEMO.wards()) {
            IsValidOp valid = new IsValidOp(w.geometry());
            assertTrue(valid.isValid(), w.code() + ": " + valid.getValidationError());
            assertTrue(w.geometry().getArea() > 1_000_000, w.code() + " is smaller than 1 km2");
            assertEquals(DemoBoroughGenerator.SRID, w.geometry().getSRID());
        }
    }

    @Test
    void wardsFormAValidCoverageWithoutNarrowGaps() {
        Geometry[] invalid = CoverageValidator.validate(wardGeometries(), 1.0);
        for (int i = 0; i < invalid.length; i++) {
            assertEquals(null, invalid[i], DEMO.wards().get(i).code() + " has invalid coverage edges");
        }
    }

    @Test
    void wardsUnionToTheBoroughOutline() {
        Geometry union = UnaryUnionOp.union(List.of(wardGeometries()));
        assertInstanceOf(Polygon.class, union);
        assertTrue(union.symDifference(DEMO.outline()).getArea() < 1.0,
                "wards and outline differ by " + union.symDifference(DEMO.outline()).getArea() + " m2");
    }

    @Test
    void noTwoWardsOverlap() {
        Geometry[] wards = wardGeometries();
        for (int i = 0; i < wards.length; i++) {
            for (int j = i + 1; j < wards.length; j++) {
                double overlap = wards[i].intersection(wards[j]).getArea();
                assertTrue(overlap < 1.0, "wards " + i + " and " + j + " overlap by " + overlap + " m2");
            }
        }
    }

    @Test
    void boundariesAreNotStraightVoronoiEdges() {
        // A clipped Voronoi cell of 20 seeds has about 6 to 10 vertices, and straight edges, even densified,
        // simplify back to that. Noisy edges keep many vertices after a 5 m simplification.
        double meanVertices = DEMO.wards().stream()
                .mapToInt(w -> DouglasPeuckerSimplifier.simplify(w.geometry(), 5).getNumPoints()).average().orElse(0);
        assertTrue(meanVertices > 25, "mean vertices per ward after simplification " + meanVertices);
    }

    @Test
    void eachNeighbourhoodHasAtLeastThreeContiguousWards() {
        Map<String, List<Geometry>> byNeighbourhood = DEMO.wards().stream().collect(Collectors.groupingBy(
                w -> w.neighbourhood().code(), Collectors.mapping(Ward::geometry, Collectors.toList())));
        assertEquals(
                List.of("DEMO-N-EAST", "DEMO-N-NORTH", "DEMO-N-SOUTH", "DEMO-N-WEST"),
                byNeighbourhood.keySet().stream().sorted().toList());
        byNeighbourhood.forEach((code, wards) -> {
            assertTrue(wards.size() >= 3, code + " has " + wards.size() + " wards");
            assertInstanceOf(Polygon.class, UnaryUnionOp.union(wards), code + " is not contiguous");
        });
        assertEquals(List.of("East", "North", "South", "West"),
                DEMO.neighbourhoods().stream().map(DemoBoroughGenerator.Neighbourhood::name).sorted().toList());
    }

    @Test
    void northWardsLieNorthOfSouthWards() {
        double north = meanNorthing("North");
        double south = meanNorthing("South");
        assertTrue(north > south + 3000, "north " + north + " vs south " + south);
    }

    private static double meanNorthing(String neighbourhood) {
        return DEMO.wards().stream().filter(w -> w.neighbourhood().name().equals(neighbourhood))
                .mapToDouble(w -> w.geometry().getCentroid().getY()).average().orElseThrow();
    }

    @Test
    void totalPopulationIsPlausibleForMiddlesbrough() {
        int total = DEMO.wards().stream().mapToInt(Ward::population).sum();
        assertTrue(total >= 130_000 && total <= 150_000, "total population " + total);
        assertTrue(DEMO.wards().stream().allMatch(w -> w.population() >= 6000 && w.population() <= 9500));
    }

    @Test
    void coordinatesAreWholeMetresNearMiddlesbrough() {
        List<Geometry> all = new ArrayList<>(List.of(wardGeometries()));
        DEMO.zones().forEach(z -> all.add(z.geometry()));
        for (Geometry g : all) {
            for (Coordinate c : g.getCoordinates()) {
                assertTrue(c.x == Math.rint(c.x) && c.y == Math.rint(c.y), "not whole metres: " + c);
                assertTrue(c.x >= 0 && c.x <= 700_000 && c.y >= 0 && c.y <= 1_300_000, "outside GB: " + c);
                assertTrue(c.x >= 440_000 && c.x <= 460_000 && c.y >= 508_000 && c.y <= 526_000, "far from Middlesbrough: " + c);
            }
        }
    }

    @Test
    void zonesAreValidAndInsideTheBorough() {
        assertEquals(List.of("DEMO-Z-NEWPORT", "DEMO-Z-NORTH-ORMESBY", "DEMO-Z-SLL"),
                DEMO.zones().stream().map(Zone::code).toList());
        for (Zone z : DEMO.zones()) {
            assertTrue(z.geometry().isValid(), z.code());
            assertTrue(z.geometry().getArea() > 100_000, z.code() + " is tiny");
            double outside = z.geometry().difference(DEMO.outline()).getArea();
            assertTrue(outside < 1.0, z.code() + " has " + outside + " m2 outside the borough");
        }
        // The licensing circle reaches the river, so it is really clipped, and it stays a proper zone.
        Geometry sll = DEMO.zones().get(2).geometry();
        assertTrue(sll.getArea() < Math.PI * 1500 * 1500 * 0.99, "circle was not clipped");
        assertTrue(sll.intersects(DEMO.outline().getExteriorRing()));
    }

    @Test
    void outputIsByteIdenticalAcrossRuns(@TempDir Path first, @TempDir Path second) throws IOException {
        WrittenFiles a = DEMO.writeAll(first);
        WrittenFiles b = DemoBoroughGenerator.load().writeAll(second);
        assertEquals(a.all().stream().map(Path::getFileName).toList(), b.all().stream().map(Path::getFileName).toList());
        for (int i = 0; i < a.all().size(); i++) {
            assertArrayEquals(Files.readAllBytes(a.all().get(i)), Files.readAllBytes(b.all().get(i)),
                    a.all().get(i).getFileName() + " differs");
        }
    }

    @Test
    void writeAllWritesTheDocumentedFiles(@TempDir Path dir) throws IOException {
        WrittenFiles files = DEMO.writeAll(dir);
        try (Stream<Path> listing = Files.list(dir)) {
            assertEquals(
                    List.of("demo-neighbourhoods.csv", "demo-population.csv", "demo-wards.geojson",
                            "demo-zones-pilot-localities.geojson", "demo-zones-selective-licensing.geojson"),
                    listing.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals(List.of("pilot-localities", "selective-licensing"), List.copyOf(files.zoneLayers().keySet()));
        assertEquals(5, files.all().size());
    }

    @Test
    void wardGeoJsonParsesBackWithLabelsAndCrs() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DEMO.writeWards(out);
        JsonNode collection = JSON.readTree(out.toByteArray());
        assertEquals("FeatureCollection", collection.get("type").asText());
        assertEquals("AIM demo geography (generated)", collection.get("name").asText());
        assertEquals("urn:ogc:def:crs:EPSG::27700", collection.at("/crs/properties/name").asText());
        JsonNode features = collection.get("features");
        assertEquals(DEMO.wards().size(), features.size());
        // JTS GeoJsonReader cannot read the urn form of the CRS name, so each geometry is read on its own.
        GeoJsonReader reader = new GeoJsonReader();
        for (int i = 0; i < features.size(); i++) {
            Ward ward = DEMO.wards().get(i);
            JsonNode properties = features.get(i).get("properties");
            assertEquals(ward.code(), properties.get("code").asText());
            assertEquals(ward.name(), properties.get("name").asText());
            assertTrue(properties.get("demo").asBoolean());
            Geometry read = reader.read(features.get(i).get("geometry").toString());
            assertTrue(read.equalsTopo(ward.geometry()), ward.code() + " geometry changed on the way out");
            assertTrue(read.norm().equalsExact(ward.geometry().norm()), ward.code() + " vertices changed on the way out");
        }
    }

    @Test
    void zoneGeoJsonCarriesTheLayer() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DEMO.writeZones("pilot-localities", out);
        JsonNode features = JSON.readTree(out.toByteArray()).get("features");
        assertEquals(List.of("Newport", "North Ormesby"),
                Stream.of(features.get(0), features.get(1)).map(f -> f.at("/properties/name").asText()).toList());
        assertEquals(2, features.size());
        for (JsonNode f : features) {
            assertEquals("pilot-localities", f.at("/properties/layer").asText());
            assertTrue(new GeoJsonReader().read(f.get("geometry").toString()).isValid());
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        DEMO.writeZones(all);
        assertEquals(3, JSON.readTree(all.toByteArray()).get("features").size());
    }

    @Test
    void csvFilesListEveryWard() throws IOException {
        StringWriter mapping = new StringWriter();
        DEMO.writeNeighbourhoodMapping(mapping);
        List<String> lines = mapping.toString().lines().toList();
        assertEquals("ward_code,neighbourhood_code,neighbourhood_name", lines.get(0));
        assertEquals(21, lines.size());
        assertEquals("DEMO-W01,DEMO-N-NORTH,North", lines.get(1));

        StringWriter population = new StringWriter();
        DEMO.writePopulation(population);
        lines = population.toString().lines().toList();
        assertEquals("code,population,year", lines.get(0));
        assertEquals(21, lines.size());
        assertTrue(lines.stream().skip(1).allMatch(l -> l.matches("DEMO-W\\d\\d,\\d{4},2021")), lines.toString());
    }

    @Test
    void squareWithoutNoiseSplitsIntoExactQuarters() throws IOException {
        // Four seeds symmetric in a 2 km square: the wards must be the four 1 km2 quarters exactly.
        DemoBoroughGenerator square = DemoBoroughGenerator.read(input("""
                "boundaryNoise": 0,
                "outline": [[0, 0], [2000, 0], [2000, 2000], [0, 2000]],
                "wards": [
                    {"code": "A", "name": "A", "neighbourhood": "n", "seed": [500, 500], "population": 1},
                    {"code": "B", "name": "B", "neighbourhood": "n", "seed": [1500, 500], "population": 1},
                    {"code": "C", "name": "C", "neighbourhood": "n", "seed": [500, 1500], "population": 1},
                    {"code": "D", "name": "D", "neighbourhood": "n", "seed": [1500, 1500], "population": 1}
                ],
                "zones": [{"code": "Z", "name": "Z", "layer": "z", "circle": {"centre": [0, 0], "radius": 500}}]"""));
        for (Ward w : square.wards()) {
            assertEquals(1_000_000, w.geometry().getArea(), 1e-9, w.code());
        }
        assertTrue(CoverageValidator.isValid(square.wards().stream().map(Ward::geometry).toArray(Geometry[]::new)));
        Geometry corner = square.zones().get(0).geometry();
        assertEquals(0, corner.difference(square.outline()).getArea(), 1e-9);
        assertEquals(Math.PI * 500 * 500 / 4, corner.getArea(), 2000);
    }

    @Test
    void rejectsASeedOutsideTheOutline() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DemoBoroughGenerator.read(input("""
                "boundaryNoise": 0,
                "outline": [[0, 0], [2000, 0], [2000, 2000], [0, 2000]],
                "wards": [
                    {"code": "A", "name": "A", "neighbourhood": "n", "seed": [500, 500], "population": 1},
                    {"code": "B", "name": "B", "neighbourhood": "n", "seed": [2500, 500], "population": 1}
                ],
                "zones": []""")));
        assertTrue(e.getMessage().contains("seed of B"), e.getMessage());
    }

    @Test
    void rejectsNoiseThatWouldNotConverge() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DemoBoroughGenerator.read(input("""
                "boundaryNoise": 1.5,
                "outline": [[0, 0], [2000, 0], [2000, 2000], [0, 2000]],
                "wards": [{"code": "A", "name": "A", "neighbourhood": "n", "seed": [500, 500], "population": 1}],
                "zones": []""")));
        assertTrue(e.getMessage().contains("boundaryNoise"), e.getMessage());
    }

    private static ByteArrayInputStream input(String body) {
        String json = """
                {"description": "test", "srid": 27700, "seed": 1,
                  "neighbourhoods": [{"key": "n", "code": "N", "name": "N"}],
                """ + body + "}";
        return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    }
}
