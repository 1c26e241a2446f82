package aim.boundaries.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.locationtech.jts.algorithm.Distance;
import org.locationtech.jts.algorithm.PointLocation;
import org.locationtech.jts.coverage.CoverageUnion;
import org.locationtech.jts.coverage.CoverageValidator;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.PrecisionModel;
import org.locationtech.jts.io.geojson.GeoJsonWriter;
import org.locationtech.jts.operation.linemerge.LineMerger;
import org.locationtech.jts.operation.polygonize.Polygonizer;
import org.locationtech.jts.operation.valid.IsValidOp;
import org.locationtech.jts.triangulate.VoronoiDiagramBuilder;

/**
 * Generates the invented demo geography that {@code ./aim demo} loads on a machine without real data:
 * about twenty wards in four neighbourhoods, plus a few zone layers, for a made-up borough placed where
 * Middlesbrough is. None of it is real boundary data, and every output says so.
 *
 * <p>Inputs are the small hand-written file {@code geo-data/demo-borough.json} (see its README). All
 * geometry is British National Grid, <b>EPSG:27700, in metres, rounded to whole metres</b>. The same
 * input always gives byte-identical output.
 *
 * <p>Known limits: the borough outline must be a simple polygon with whole-metre vertices (best on a 10 m
 * or coarser grid), and each ward's Voronoi cell must stay in one piece when clipped to it; bad inputs
 * fail at construction with an exception saying what to change. Noise on shared boundaries is reduced,
 * edge by edge, wherever it would make edges cross or crowd each other, so a large {@code boundaryNoise}
 * yields straighter edges, never an invalid coverage.
 */
public final class DemoBoroughGenerator {

    public static final int SRID = 27700;
    public static final String RESOURCE = "/geo-data/demo-borough.json";
    public static final String COLLECTION_NAME = "AIM demo geography (generated)";
    public static final String CRS_URN = "urn:ogc:def:crs:EPSG::27700";
    public static final int POPULATION_YEAR = 2021;

    /** Largest boundaryNoise accepted: a midpoint moves at most half its segment's length sideways. */
    public static final double MAX_NOISE = 0.5;

    /** Ward boundaries are cut into pieces no longer than this before noise is added (metres). */
    private static final double NOISE_SEGMENT_METRES = 120;

    /** Away from its ends, a noisy edge keeps at least this far from the outline and other edges (metres). */
    private static final double NOISE_CLEARANCE_METRES = 10;

    private static final GeometryFactory FLOAT = new GeometryFactory(new PrecisionModel(), SRID);
    private static final GeometryFactory METRES = new GeometryFactory(new PrecisionModel(1.0), SRID);
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Neighbourhood(String code, String name) {}

    public record Ward(String code, String name, Neighbourhood neighbourhood, int population, Polygon geometry) {}

    public record Zone(String code, String name, String layer, Geometry geometry) {}

    /** The files written by {@link #writeAll(Path)}; {@code zoneLayers} maps each layer to its file. */
    public record WrittenFiles(Path wards, Map<String, Path> zoneLayers, Path neighbourhoodMapping, Path population) {
        public List<Path> all() {
            return Stream.of(Stream.of(wards), zoneLayers.values().stream(), Stream.of(neighbourhoodMapping, population))
                    .flatMap(s -> s).toList();
        }
    }

    // The input file, as written by hand in geo-data/demo-borough.json.
    private record Input(String description, int srid, long seed, double boundaryNoise, List<double[]> outline,
            List<NeighbourhoodInput> neighbourhoods, List<WardInput> wards, List<ZoneInput> zones) {}

    private record NeighbourhoodInput(String key, String code, String name) {}

    private record WardInput(String code, String name, String neighbourhood, double[] seed, int population) {}

    private record ZoneInput(String code, String name, String layer, List<String> wards, Circle circle) {}

    private record Circle(double[] centre, double radius) {}

    private final Polygon outline;
    private final List<Ward> wards;
    private final List<Zone> zones;

    private DemoBoroughGenerator(Input input) {
        if (input.srid() != SRID) {
            throw new IllegalArgumentException("demo geography must be EPSG:" + SRID + ", got " + input.srid());
        }
        if (!(input.boundaryNoise() >= 0 && input.boundaryNoise() <= MAX_NOISE)) {
            // Beyond this, bent pieces shrink ever more slowly (from about 0.87 not at all), so
            // cutting them down to NOISE_SEGMENT_METRES could take forever.
            throw new IllegalArgumentException("boundaryNoise must be between 0 and " + MAX_NOISE);
        }
        this.outline = buildOutline(input.outline());
        this.wards = buildWards(input);
        this.zones = input.zones().stream().map(this::buildZone).toList();
    }

    /** Reads the inputs bundled in the jar at {@value #RESOURCE}. */
    public static DemoBoroughGenerator load() {
        try (InputStream in = DemoBoroughGenerator.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("classpath resource " + RESOURCE + " is missing");
            }
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static DemoBoroughGenerator load(Path inputFile) throws IOException {
        try (InputStream in = Files.newInputStream(inputFile)) {
            return read(in);
        }
    }

    public static DemoBoroughGenerator read(InputStream inputJson) throws IOException {
        return new DemoBoroughGenerator(JSON.readValue(inputJson, Input.class));
    }

    public Polygon outline() {
        return outline;
    }

    public List<Ward> wards() {
        return wards;
    }

    public List<Zone> zones() {
        return zones;
    }

    public List<Neighbourhood> neighbourhoods() {
        return wards.stream().map(Ward::neighbourhood).distinct().toList();
    }

    private Polygon buildOutline(List<double[]> vertices) {
        List<Coordinate> ring = new ArrayList<>();
        for (double[] v : vertices) {
            Coordinate c = coordinate(v, "outline vertex");
            if (c.x != Math.rint(c.x) || c.y != Math.rint(c.y)) {
                throw new IllegalArgumentException("outline vertices must be whole metres: " + c);
            }
            ring.add(c);
        }
        if (!ring.get(0).equals2D(ring.get(ring.size() - 1))) {
            ring.add(ring.get(0).copy());
        }
        Polygon polygon = METRES.createPolygon(ring.toArray(Coordinate[]::new));
        IsValidOp valid = new IsValidOp(polygon);
        if (!valid.isValid()) {
            throw new IllegalArgumentException("outline is not a valid polygon: " + valid.getValidationError());
        }
        return polygon;
    }

    private List<Ward> buildWards(Input input) {
        Map<String, Neighbourhood> neighbourhoods = new LinkedHashMap<>();
        input.neighbourhoods().forEach(n -> neighbourhoods.put(n.key(), new Neighbourhood(n.code(), n.name())));
        Set<String> codes = new HashSet<>();
        List<Coordinate> seeds = new ArrayList<>();
        for (WardInput w : input.wards()) {
            if (!codes.add(w.code()) || !neighbourhoods.containsKey(w.neighbourhood()) || w.population() <= 0) {
                throw new IllegalArgumentException("ward " + w.code() + ": duplicate code, unknown neighbourhood"
                        + " or non-positive population");
            }
            Coordinate seed = coordinate(w.seed(), "seed of " + w.code());
            if (!outline.contains(METRES.createPoint(seed))) {
                throw new IllegalArgumentException("seed of " + w.code() + " lies outside the borough outline");
            }
            seeds.add(seed);
        }
        List<Polygon> faces = wardFaces(seeds, input.seed(), input.boundaryNoise());

        // Each face must hold exactly one seed: that seed's ward is the face.
        List<Ward> result = new ArrayList<>();
        for (int i = 0; i < seeds.size(); i++) {
            WardInput w = input.wards().get(i);
            Geometry seed = METRES.createPoint(seeds.get(i));
            List<Polygon> holding = faces.stream().filter(f -> f.contains(seed)).toList();
            if (holding.size() != 1) {
                throw new IllegalStateException("ward " + w.code() + ": seed is not inside exactly one face");
            }
            result.add(new Ward(w.code(), w.name(), neighbourhoods.get(w.neighbourhood()), w.population(),
                    holding.get(0)));
        }
        if (faces.size() != seeds.size() || result.stream().map(Ward::geometry).distinct().count() != seeds.size()) {
            throw new IllegalStateException("the outline splits some Voronoi cell into pieces (" + faces.size()
                    + " faces for " + seeds.size() + " seeds): move the seeds or smooth the outline");
        }
        Geometry[] coverage = result.stream().map(Ward::geometry).toArray(Geometry[]::new);
        if (!CoverageValidator.isValid(coverage)) {
            throw new IllegalStateException("generated wards do not form a valid coverage");
        }
        return List.copyOf(result);
    }

    /**
     * Cuts the outline into one face per seed, every vertex on whole metres, and returns the faces (in no
     * particular order).
     */
    private List<Polygon> wardFaces(List<Coordinate> seeds, long randomSeed, double noise) {
        // 1. Voronoi diagram of the seeds on an envelope well beyond the outline, so that every cell edge
        //    inside the borough is a true perpendicular bisector. Union nodes the cell boundaries (each
        //    shared edge once), intersection keeps the part inside the outline, and the line merger joins
        //    pieces into whole edges: each edge ends at a Voronoi vertex or where it meets the outline.
        VoronoiDiagramBuilder voronoi = new VoronoiDiagramBuilder();
        voronoi.setSites(seeds);
        Envelope clip = new Envelope(outline.getEnvelopeInternal());
        clip.expandBy(10_000);
        voronoi.setClipEnvelope(clip);
        Geometry cells = voronoi.getDiagram(FLOAT);
        List<Geometry> cellRings = new ArrayList<>();
        for (int i = 0; i < cells.getNumGeometries(); i++) {
            cellRings.add(((Polygon) cells.getGeometryN(i)).getExteriorRing());
        }
        Geometry inside = FLOAT.buildGeometry(cellRings).union().intersection(FLOAT.createGeometry(outline));
        LineMerger merger = new LineMerger();
        merger.add(inside);

        // 2. Move each edge end onto whole metres. An end on the outline must stay exactly on it, or the
        //    wards would not add up to the outline: it moves to the nearest point of the outline segment
        //    that has whole-metre coordinates (see snapToOutline), and that point is inserted there.
        List<Coordinate[]> straight = new ArrayList<>();
        TreeMap<Integer, List<Coordinate>> outlineJunctions = new TreeMap<>();
        Set<Coordinate> outlineEnds = new HashSet<>();
        for (Object line : merger.getMergedLineStrings()) {
            LineString edge = (LineString) line;
            Coordinate[] ends = {edge.getCoordinateN(0), edge.getCoordinateN(edge.getNumPoints() - 1)};
            for (int e = 0; e < 2; e++) {
                int segment = nearestOutlineSegment(ends[e]);
                if (segmentDistance(ends[e], segment) < 1e-6) {
                    ends[e] = snapToOutline(ends[e], segment);
                    if (!outlineEnds.add(ends[e])) {
                        throw new IllegalStateException("two ward edges meet the outline at " + ends[e]);
                    }
                    outlineJunctions.computeIfAbsent(segment, s -> new ArrayList<>()).add(ends[e]);
                } else {
                    ends[e] = new Coordinate(Math.rint(ends[e].x), Math.rint(ends[e].y));
                }
            }
            if (ends[0].equals2D(ends[1])) {
                throw new IllegalStateException("a ward edge shorter than a metre at " + ends[0] + ": move the seeds");
            }
            // A canonical direction makes each edge's noise independent of the order JTS returned it in.
            straight.add(ends[0].compareTo(ends[1]) < 0 ? ends : new Coordinate[] {ends[1], ends[0]});
        }
        straight.sort(Comparator.<Coordinate[], Coordinate>comparing(e -> e[0]).thenComparing(e -> e[1]));

        // 3. Make edges less straight, one at a time, by midpoint displacement with a random generator seeded
        //    from the input seed and the edge's ends. An edge is a single line shared by the two wards on
        //    either side, so both sides get identical vertices. A noisy edge replaces the straight one only
        //    if, rounded to whole metres, it
        //    - is simple, and stays inside the outline touching it only at its ends;
        //    - touches every other edge (already noisy or still straight) only at shared ends;
        //    - away from its ends (first and last vertex dropped), keeps NOISE_CLEARANCE_METRES from the
        //      outline and the other edges, so it leaves no sliver wards or needle-thin necks;
        //    - sweeps over no seed: no seed lies inside the loop of noisy edge plus straight edge back, so
        //      every seed stays in its own face.
        //    Otherwise the noise is halved, down to none (the straight edge stays).
        List<LineString> edges = new ArrayList<>();
        straight.forEach(e -> edges.add(noisyEdge(e[0], e[1], randomSeed, 0)));
        for (int e = 0; e < edges.size(); e++) {
            Coordinate[] ends = straight.get(e);
            for (double scale = 1; noise > 0 && scale > 0; scale = scale > 0.1 ? scale / 2 : 0) {
                LineString candidate = noisyEdge(ends[0], ends[1], randomSeed, noise * scale);
                Coordinate[] points = candidate.getCoordinates();
                Geometry middle = points.length > 3
                        ? METRES.createLineString(Arrays.copyOfRange(points, 1, points.length - 1)) : METRES.createEmpty(1);
                Coordinate[] loop = Stream.concat(Arrays.stream(points), Stream.of(ends[0])).toArray(Coordinate[]::new);
                boolean ok = candidate.isSimple() && candidate.relate(outline, "*FF**F***")
                        && !middle.isWithinDistance(outline.getExteriorRing(), NOISE_CLEARANCE_METRES)
                        && seeds.stream().noneMatch(seed -> PointLocation.isInRing(seed, loop));
                for (int other = 0; ok && other < edges.size(); other++) {
                    ok = other == e || (candidate.relate(edges.get(other), "FF*F*****")
                            && !middle.isWithinDistance(edges.get(other), NOISE_CLEARANCE_METRES));
                }
                if (ok) {
                    edges.set(e, candidate);
                    break;
                }
            }
        }

        // 4. The outline, split at the junctions, plus the edges are a fully noded planar graph with whole-
        //    metre vertices; polygonizing it gives the faces, which share exact edges by construction.
        Polygonizer polygonizer = new Polygonizer();
        polygonizer.add(edges);
        Coordinate[] ring = outline.getExteriorRing().getCoordinates();
        for (int s = 0; s < ring.length - 1; s++) {
            Coordinate start = ring[s];
            Coordinate end = ring[s + 1];
            List<Coordinate> along = new ArrayList<>(List.of(start));
            outlineJunctions.getOrDefault(s, List.of()).stream()
                    .filter(c -> !c.equals2D(start) && !c.equals2D(end))
                    .sorted(Comparator.comparingDouble(c -> c.distance(start)))
                    .forEach(along::add);
            along.add(end);
            for (int i = 0; i + 1 < along.size(); i++) {
                polygonizer.add(METRES.createLineString(new Coordinate[] {along.get(i), along.get(i + 1)}));
            }
        }
        if (!polygonizer.getDangles().isEmpty() || !polygonizer.getCutEdges().isEmpty()
                || !polygonizer.getInvalidRingLines().isEmpty()) {
            throw new IllegalStateException("ward edges do not form a clean planar graph");
        }
        // The polygonizer's graph keeps edges in a hash set, so a face's ring may start at a different vertex
        // from run to run; normalizing fixes start vertex and orientation, making output byte-identical.
        @SuppressWarnings("unchecked")
        List<Polygon> faces = new ArrayList<>(polygonizer.getPolygons());
        faces.forEach(Polygon::normalize);
        return faces;
    }

    /** The edge from a to b with midpoint-displacement noise of the given strength, on whole metres. */
    private static LineString noisyEdge(Coordinate a, Coordinate b, long randomSeed, double strength) {
        Random random = new Random(Objects.hash(randomSeed, a.x, a.y, b.x, b.y));
        List<Coordinate> points = new ArrayList<>(List.of(a, b));
        while (strength > 0 && points.get(0).distance(points.get(1)) > NOISE_SEGMENT_METRES) {
            List<Coordinate> finer = new ArrayList<>();
            for (int i = 0; i + 1 < points.size(); i++) {
                Coordinate p = points.get(i);
                Coordinate q = points.get(i + 1);
                // Offset the midpoint perpendicular to p-q, by up to `strength` times the length of p-q.
                double offset = (random.nextDouble() * 2 - 1) * strength;
                finer.add(p);
                finer.add(new Coordinate((p.x + q.x) / 2 - (q.y - p.y) * offset, (p.y + q.y) / 2 + (q.x - p.x) * offset));
            }
            finer.add(b);
            points = finer;
        }
        List<Coordinate> rounded = new ArrayList<>();
        for (Coordinate c : points) {
            Coordinate r = new Coordinate(Math.rint(c.x), Math.rint(c.y));
            if (rounded.isEmpty() || !rounded.get(rounded.size() - 1).equals2D(r)) {
                rounded.add(r);
            }
        }
        return METRES.createLineString(rounded.toArray(Coordinate[]::new));
    }

    private int nearestOutlineSegment(Coordinate c) {
        int best = 0;
        for (int s = 1; s < outline.getExteriorRing().getNumPoints() - 1; s++) {
            if (segmentDistance(c, s) < segmentDistance(c, best)) {
                best = s;
            }
        }
        return best;
    }

    private double segmentDistance(Coordinate c, int segment) {
        LineString ring = outline.getExteriorRing();
        return Distance.pointToSegment(c, ring.getCoordinateN(segment), ring.getCoordinateN(segment + 1));
    }

    /**
     * The whole-metre point of an outline segment nearest to c. A segment from a to b, both on whole
     * metres, passes through whole-metre points exactly at a + k (b - a) / g for k = 0..g, where g is the
     * greatest common divisor of |bx - ax| and |by - ay|; vertices on a 10 m or coarser grid keep these
     * points at most a few tens of metres apart.
     */
    private Coordinate snapToOutline(Coordinate c, int segment) {
        Coordinate a = outline.getExteriorRing().getCoordinateN(segment);
        Coordinate b = outline.getExteriorRing().getCoordinateN(segment + 1);
        long dx = (long) (b.x - a.x);
        long dy = (long) (b.y - a.y);
        long g = Math.max(1, gcd(Math.abs(dx), Math.abs(dy)));
        double t = ((c.x - a.x) * dx + (c.y - a.y) * dy) / (double) (dx * dx + dy * dy);
        long k = Math.max(0, Math.min(g, Math.round(t * g)));
        return new Coordinate(a.x + k * (dx / g), a.y + k * (dy / g));
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    private Zone buildZone(ZoneInput z) {
        if (z.layer() == null || !z.layer().matches("[a-z0-9-]+")) {
            throw new IllegalArgumentException("zone " + z.code() + ": layer must be lower-case letters, digits, '-'");
        }
        Geometry geometry;
        if (z.wards() != null && z.circle() == null) {
            // A union of wards: exact, since the wards share exact edges.
            Geometry[] parts = z.wards().stream().map(code -> wards.stream().filter(w -> w.code().equals(code))
                    .findFirst().orElseThrow(() -> new IllegalArgumentException("zone " + z.code() + ": no ward " + code))
                    .geometry()).toArray(Geometry[]::new);
            geometry = CoverageUnion.union(parts);
        } else if (z.circle() != null && z.wards() == null) {
            // A circle clipped to the outline, in floating point; then every vertex on the outline is moved to
            // a whole-metre point of its outline segment (so the zone stays exactly inside) and the rest rounded.
            Geometry circle = FLOAT.createPoint(coordinate(z.circle().centre(), "centre of " + z.code()))
                    .buffer(z.circle().radius(), 16);
            Geometry clipped = circle.intersection(FLOAT.createGeometry(outline));
            geometry = METRES.createGeometry(clipped);
            geometry.apply((Coordinate c) -> {
                int segment = nearestOutlineSegment(c);
                Coordinate moved = segmentDistance(c, segment) < 1e-6 ? snapToOutline(c, segment)
                        : new Coordinate(Math.rint(c.x), Math.rint(c.y));
                c.setCoordinate(moved);
            });
            geometry.geometryChanged();
        } else {
            throw new IllegalArgumentException("zone " + z.code() + ": give either 'wards' or 'circle'");
        }
        if (geometry.isEmpty() || !geometry.isValid()) {
            throw new IllegalStateException("zone " + z.code() + " is empty or invalid");
        }
        return new Zone(z.code(), z.name(), z.layer(), geometry.norm());
    }

    private static Coordinate coordinate(double[] xy, String what) {
        if (xy == null || xy.length != 2) {
            throw new IllegalArgumentException(what + " must be [easting, northing]");
        }
        return new Coordinate(xy[0], xy[1]);
    }

    /** All wards as a GeoJSON FeatureCollection with properties code, name and demo. */
    public void writeWards(OutputStream out) throws IOException {
        writeFeatures(out, wards.stream().map(w -> feature(w.geometry(), "code", w.code(), "name", w.name())).toList());
    }

    /** All zones, every layer, as a GeoJSON FeatureCollection with properties code, name, layer and demo. */
    public void writeZones(OutputStream out) throws IOException {
        writeZones(null, out);
    }

    /** The zones of one layer (or all when layer is null) as a GeoJSON FeatureCollection. */
    public void writeZones(String layer, OutputStream out) throws IOException {
        writeFeatures(out, zones.stream().filter(z -> layer == null || z.layer().equals(layer))
                .map(z -> feature(z.geometry(), "code", z.code(), "name", z.name(), "layer", z.layer())).toList());
    }

    private static ObjectNode feature(Geometry geometry, String... properties) {
        ObjectNode feature = JSON.createObjectNode().put("type", "Feature");
        ObjectNode props = feature.putObject("properties");
        for (int i = 0; i < properties.length; i += 2) {
            props.put(properties[i], properties[i + 1]);
        }
        props.put("demo", true);
        GeoJsonWriter geoJson = new GeoJsonWriter(0);
        geoJson.setEncodeCRS(false);
        geoJson.setForceCCW(true);
        feature.putRawValue("geometry", new RawValue(geoJson.write(geometry)));
        return feature;
    }

    // One feature per line: small diffs, and still a single valid JSON document.
    private static void writeFeatures(OutputStream out, List<ObjectNode> features) throws IOException {
        Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        writer.write("{\"type\":\"FeatureCollection\",\"name\":" + JSON.writeValueAsString(COLLECTION_NAME)
                + ",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"" + CRS_URN + "\"}},\"features\":[\n");
        for (int i = 0; i < features.size(); i++) {
            writer.write(JSON.writeValueAsString(features.get(i)) + (i + 1 < features.size() ? ",\n" : "\n"));
        }
        writer.write("]}\n");
        writer.flush();
    }

    /** CSV {@code ward_code,neighbourhood_code,neighbourhood_name}, one row per ward. */
    public void writeNeighbourhoodMapping(Writer out) throws IOException {
        CSVPrinter csv = csv(out, "ward_code", "neighbourhood_code", "neighbourhood_name");
        for (Ward w : wards) {
            csv.printRecord(w.code(), w.neighbourhood().code(), w.neighbourhood().name());
        }
        csv.flush();
    }

    /** CSV {@code code,population,year}, one row per ward, year {@value #POPULATION_YEAR}. */
    public void writePopulation(Writer out) throws IOException {
        CSVPrinter csv = csv(out, "code", "population", "year");
        for (Ward w : wards) {
            csv.printRecord(w.code(), w.population(), POPULATION_YEAR);
        }
        csv.flush();
    }

    private static CSVPrinter csv(Writer out, String... header) throws IOException {
        return CSVFormat.DEFAULT.builder().setHeader(header).setRecordSeparator('\n').build().print(out);
    }

    /**
     * Writes demo-wards.geojson, demo-zones-&lt;layer&gt;.geojson (one per layer), demo-neighbourhoods.csv
     * and demo-population.csv into the directory, creating it if needed.
     */
    public WrittenFiles writeAll(Path directory) throws IOException {
        Files.createDirectories(directory);
        Path wardsFile = directory.resolve("demo-wards.geojson");
        try (OutputStream out = Files.newOutputStream(wardsFile)) {
            writeWards(out);
        }
        Map<String, Path> layers = new LinkedHashMap<>();
        for (String layer : zones.stream().map(Zone::layer).distinct().toList()) {
            Path file = directory.resolve("demo-zones-" + layer + ".geojson");
            try (OutputStream out = Files.newOutputStream(file)) {
                writeZones(layer, out);
            }
            layers.put(layer, file);
        }
        Path mappingFile = directory.resolve("demo-neighbourhoods.csv");
        try (Writer out = Files.newBufferedWriter(mappingFile)) {
            writeNeighbourhoodMapping(out);
        }
        Path populationFile = directory.resolve("demo-population.csv");
        try (Writer out = Files.newBufferedWriter(populationFile)) {
            writePopulation(out);
        }
        return new WrittenFiles(wardsFile, Collections.unmodifiableMap(layers), mappingFile, populationFile);
    }
}
