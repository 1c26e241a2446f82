package aim.hotspots;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
    void keysRoundTrip() {
        for (int[] ij : new int[][]{{0, 0}, {1800, 2060}, {-5, 7}, {3, -9}, {-1, -1}}) {
            long key = Grid.key(ij[0], ij[1]);
            assertEquals(ij[0], Grid.keyI(key));
            assertEquals(ij[1], Grid.keyJ(key));
        }
    }
}
