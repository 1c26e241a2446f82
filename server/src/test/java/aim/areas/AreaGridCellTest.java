package aim.areas;

import aim.core.DomainException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Reading {@code cell=i,j&cellSize=} and the cell's bounds in British National Grid metres. */
class AreaGridCellTest {

    @Test
    void aCellIsColumnAndRowOfTheGrid() {
        // a point at E 450,123.4 N 515,321.9 lies in the 250 m cell floor(450123.4/250), floor(515321.9/250) = 1800, 2061
        AreaGridCell c = AreaGridCell.parse(" 1800, 2061 ", null);
        assertEquals(new AreaGridCell(1800, 2061, 250), c);
        assertEquals(450_000.0, c.minX());
        assertEquals(450_250.0, c.maxX());
        assertEquals(515_250.0, c.minY());
        assertEquals(515_500.0, c.maxY());
        assertEquals(1800, (long) Math.floor(450_123.4 / c.size()));
        assertEquals(new AreaGridCell(900, 1030, 500), AreaGridCell.parse("900,1030", "500"));
        assertNull(AreaGridCell.parse(null, null));
        assertNull(AreaGridCell.parse("", null));
    }

    @Test
    void badCellsNameTheField() {
        String[][] cases = {{"a,b", null, "cell"}, {"1", null, "cell"}, {"1,2,3", null, "cell"}, {"-1,5", null, "cell"},
                {"5000,1", "250", "cell"}, {"1,2", "5", "cellSize"}, {"1,2", "20000", "cellSize"}, {"1,2", "ten", "cellSize"},
                {null, "250", "cell"}};
        for (String[] c : cases) {
            DomainException e = assertThrows(DomainException.class, () -> AreaGridCell.parse(c[0], c[1]), c[0] + " / " + c[1]);
            assertEquals(c[2], e.field(), c[0] + " / " + c[1]);
            assertEquals(400, aim.web.Problems.status(e));
        }
    }
}
