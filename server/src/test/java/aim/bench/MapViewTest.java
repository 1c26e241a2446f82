package aim.bench;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scale benchmark's map view: the zoom the map fits an extent at, and the tiles of a padded window. */
class MapViewTest {
    /** Middlesbrough's extent (WGS84), about 10 km × 9 km. */
    private static final double[] MIDDLESBROUGH = {-1.30, 54.50, -1.15, 54.58};

    @Test
    void fitsTheBoroughAtTheLargestZoomWhoseExtentFitsBesideThePanel() {
        int z = MapView.fitZoom(MIDDLESBROUGH);
        assertEquals(12, z);
        double[] a = MapView.pixel(MIDDLESBROUGH[0], MIDDLESBROUGH[3], z + 1), b = MapView.pixel(MIDDLESBROUGH[2], MIDDLESBROUGH[1], z + 1);
        // one zoom closer it is taller than the window less its margins
        assertTrue(b[1] - a[1] > MapView.HEIGHT - 2 * MapView.MARGIN);
    }

    @Test
    void tilesAreThoseOfTheWebMapsTileRangeOverTheWindowPaddedByHalf() {
        double[] centre = MapView.centre(MIDDLESBROUGH);
        for (int z : new int[]{12, 14, 16}) {
            List<int[]> tiles = MapView.tiles(centre[0], centre[1], z);
            // the padded box: twice the window's width and height around the centre, back to degrees
            double[] c = MapView.pixel(centre[0], centre[1], z);
            double west = lon(c[0] - MapView.WIDTH, z), east = lon(c[0] + MapView.WIDTH, z);
            double north = lat(c[1] - MapView.HEIGHT, z), south = lat(c[1] + MapView.HEIGHT, z);
            // layers/incident-tiles.js tileRange
            int n = 1 << z;
            Set<String> expected = new HashSet<>();
            for (int x = column(west, n); x <= column(east, n); x++) {
                for (int y = row(north, n); y <= row(south, n); y++) expected.add(z + "/" + x + "/" + y);
            }
            Set<String> got = new HashSet<>();
            for (int[] t : tiles) got.add(t[0] + "/" + t[1] + "/" + t[2]);
            assertEquals(expected, got, "zoom " + z);
            assertEquals(tiles.size(), got.size(), "each tile once");
            // 2560 × 1600 px: 10–11 columns and 7–8 rows of 256 px
            assertTrue(tiles.size() >= 70 && tiles.size() <= 88, tiles.size() + " tiles at zoom " + z);
        }
    }

    @Test
    void tilePathCarriesThePeriodAsTheMapAsksForIt() {
        assertEquals("/tiles/incidents/14/8132/5200.mvt?from=2026-07-01&to=2026-09-30",
                MapView.tilePath(new int[]{14, 8132, 5200}, java.time.LocalDate.of(2026, 7, 1), java.time.LocalDate.of(2026, 9, 30)));
    }

    private static double lon(double px, int z) {
        return px / (256.0 * (1 << z)) * 360 - 180;
    }

    private static double lat(double py, int z) {
        double y = Math.PI * (1 - 2 * py / (256.0 * (1 << z)));
        return Math.toDegrees(Math.atan(Math.sinh(y)));
    }

    private static int column(double lon, int n) {
        return Math.min(n - 1, Math.max(0, (int) Math.floor((lon + 180) / 360 * n)));
    }

    private static int row(double lat, int n) {
        double r = Math.toRadians(lat);
        return Math.min(n - 1, Math.max(0, (int) Math.floor((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2 * n)));
    }
}
