-- Placing points in one boundary set (rollup_assign_set: a new ward set, or a set assigned afresh) probes the pieces
-- near each point through their spatial index alone. V21's rollup_place compared bp.set_id with the set, and right
-- after a set's pieces are written (the trigger on rollup_set, in the same transaction) the planner has no statistics
-- for them: it ANDed the spatial index with boundary_piece_set_idx, which reads every piece of the set for every point
-- (nationally 22,000 pieces x 100,000 points: 200 s to assign England's wards afresh instead of a few). The set is
-- now tested on the few pieces the spatial index finds (bp.set_id + 0 keeps the planner off the set's index); the
-- answer is unchanged.
CREATE OR REPLACE FUNCTION rollup_place(xs double precision[], ys double precision[], p_set bigint)
    RETURNS TABLE (x double precision, y double precision, set_id bigint, boundary_id bigint)
    LANGUAGE sql STABLE AS $$
    WITH point AS (SELECT u.x, u.y, ST_SetSRID(ST_MakePoint(u.x, u.y), 27700) AS g FROM unnest(xs, ys) AS u(x, y)),
    place AS (
        SELECT DISTINCT ON (pt.x, pt.y, bp.set_id) pt.x, pt.y, bp.set_id, bp.boundary_id
        FROM point pt JOIN boundary_piece bp ON bp.geom && ST_Expand(pt.g, 0.001)
        WHERE (p_set IS NULL OR bp.set_id + 0 = p_set)
          AND CASE WHEN ST_DWithin(bp.outline, pt.g, 0.001)
                   THEN ST_Intersects((SELECT b.geom FROM boundary b WHERE b.id = bp.boundary_id), pt.g)
                   ELSE ST_Intersects(bp.geom, pt.g) END
        ORDER BY pt.x, pt.y, bp.set_id, bp.code)
    SELECT * FROM place
    UNION ALL
    SELECT pl.x, pl.y, n.set_id, n.id
    FROM place pl
    JOIN neighbourhood_ward nw ON nw.ward_id = pl.boundary_id
    JOIN boundary n ON n.id = nw.neighbourhood_id
    JOIN boundary_set ns ON ns.id = n.set_id AND ns.based_on = pl.set_id AND ns.level = 'neighbourhood'
    JOIN rollup_set r ON r.set_id = ns.id
    WHERE p_set IS NULL
$$;
