package aim.hotspots;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cell numbering and neighbour offsets without a database (the PostGIS agreement is GridNumberingPostgisTest). */
class GridTest {

    @Test
    void squareCellsAreFloorOfCoordinateOverSize() {
        Grid g = new SquareGrid(250);
        assertEquals(Grid.key(1800, 2060), g.cellOf(450100, 515100));
        assertEquals(Grid.key(1800, 2060), g.cellOf(450000, 515000), "the lower-left corner belongs to the cell");
        assertEquals(Grid.key(1801, 2060), g.cellOf(450250, 515249.9));
        assertEquals(450125, g.centreX(1800, 2060));
        assertEquals(515125, g.centreY(1800, 2060));
    }

    @Test
    void defaultBandIsTheQueenNeighbourhoodForSquaresAndTheAdjacentHexagons() {
        Grid square = new SquareGrid(100);
        assertEquals(9, square.offsetsWithin(GiStar.defaultBand(square), 0).size());
        assertEquals(5, square.offsetsWithin(100, 0).size(), "band = cell size is the rook neighbourhood");
        assertEquals(13, square.offsetsWithin(200, 0).size());
        Grid hex = new HexGrid(100);
        assertEquals(7, hex.offsetsWithin(GiStar.defaultBand(hex), 0).size());
        assertEquals(7, hex.offsetsWithin(GiStar.defaultBand(hex), 1).size());
        assertEquals(1, hex.offsetsWithin(100, 0).size(), "adjacent hexagons are √3·size apart");
    }

    @Test
    void hexagonCellsAreTheNearestCentre() {
        HexGrid g = new HexGrid(137);
        // values from ST_HexagonGrid(100, …): cell (3001, 2974) has its centre at (450150, 515198.51)
        HexGrid h100 = new HexGrid(100);
        assertEquals(450150, h100.centreX(3001, 2974), 1e-6);
        assertEquals(515198.5127113626, h100.centreY(3001, 2974), 1e-6);
        assertEquals(515111.91017098416, h100.centreY(3000, 2974), 1e-6);
        Random random = new Random(3);
        for (int t = 0; t < 100_000; t++) {
            double x = 440000 + random.nextDouble() * 20000, y = 510000 + random.nextDouble() * 20000;
            long cell = g.cellOf(x, y);
            double best = Double.MAX_VALUE;
            long nearest = 0;
            int i0 = (int) Math.floor(x / (1.5 * 137));
            for (int i = i0 - 2; i <= i0 + 2; i++) {
                int j0 = (int) Math.floor(y / g.spacing());
                for (int j = j0 - 2; j <= j0 + 2; j++) {
                    double d = Math.hypot(x - g.centreX(i, j), y - g.centreY(i, j));
                    if (d < best) {
                        best = d;
                        nearest = Grid.key(i, j);
                    }
                }
            }
            assertEquals(nearest, cell);
        }
    }

    @Test
    void aSquareIsHeldByAHexagonOnlyWhenEveryPointOfItLiesInsideItByTheMargin() {
        Random random = new Random(11);
        for (double size : new double[]{50, 100, 137, 250, 500, 1000}) {
            HexGrid g = new HexGrid(size);
            int held = 0, cut = 0;
            for (int i = 9000; i < 9060; i++) {
                for (int j = 10300; j < 10360; j++) {
                    long hexagon = g.hexagonHolding(i, j, 50);
                    if (hexagon == HexGrid.NONE) {
                        cut++;
                        continue;
                    }
                    held++;
                    // the corners, the middle and random points of the closed square: all in that hexagon
                    for (int k = 0; k < 12; k++) {
                        double x = 50.0 * i + (k < 4 ? 50 * (k % 2) : k == 4 ? 25 : 50 * random.nextDouble());
                        double y = 50.0 * j + (k < 4 ? 50 * (k / 2) : k == 4 ? 25 : 50 * random.nextDouble());
                        assertEquals(hexagon, g.cellOf(x, y), size + " m, square " + i + "," + j);
                    }
                }
            }
            assertTrue(held > 0 && cut > 0, size + " m: " + held + " held, " + cut + " cut");
        }
        // a square whose corner lies on a hexagon's edge, or within the margin of it, is not held
        HexGrid g = new HexGrid(100);
        // hexagon (0, 0) has its right vertex at (100, 0) and its top edge at y = 50·√3 ≈ 86.60
        assertEquals(HexGrid.NONE, g.hexagonHolding(1, 0, 50), "the square [50, 100] × [0, 50] reaches the vertex");
        assertEquals(Grid.key(0, 0), g.hexagonHolding(-1, -1, 50));
        assertEquals(Grid.key(0, 0), g.hexagonHolding(0, 0, 50));
        assertEquals(HexGrid.NONE, g.hexagonHolding(0, 1, 50), "[0, 50] × [50, 100] crosses the top edge");
    }

    @Test
    void keysRoundTrip() {
        for (int[] ij : new int[][]{{0, 0}, {1800, 2060}, {-5, 7}, {3, -9}, {-1, -1}}) {
            long key = Grid.key(ij[0], ij[1]);
            assertEquals(ij[0], Grid.keyI(key));
            assertEquals(ij[1], Grid.keyJ(key));
        }
    }
}
