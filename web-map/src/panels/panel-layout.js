// The arithmetic of the side panels' layouts (panels/side-panel.js does the DOM): the three heights
// of a phone's bottom sheet, the part of the map no panel covers, and how far to pan the map so a
// selected feature (or an open popup) sits in that part. Plain numbers in CSS pixels, viewport
// coordinates ({top, bottom, left, right}); no DOM, so the unit tests reach it.

/** A bottom sheet's heights, lowest first: its bar only, half the map, nearly all of it. */
export const SHEET_HEIGHTS = ['peek', 'half', 'full'];

/** A drag of the handle shorter than this (px) is a tap. */
export const DRAG_THRESHOLD = 30;

/**
 * The next height after a tap of the handle (peek → half → full → peek), or, with `direction`
 * +1 / -1, one step taller / shorter (stopping at full / peek).
 */
export function nextSheet(current, direction = 0) {
  const at = Math.max(0, SHEET_HEIGHTS.indexOf(current));
  if (direction === 0) return SHEET_HEIGHTS[(at + 1) % SHEET_HEIGHTS.length];
  return SHEET_HEIGHTS[Math.min(SHEET_HEIGHTS.length - 1, Math.max(0, at + Math.sign(direction)))];
}

/** The height after dragging the handle by `dy` px (up is negative): a step per drag, a tap when short. */
export function sheetAfterDrag(current, dy) {
  if (Math.abs(dy) < DRAG_THRESHOLD) return nextSheet(current);
  return nextSheet(current, dy < 0 ? 1 : -1);
}

/**
 * The part of the map's rectangle that no panel covers. A panel lying across the map's bottom edge
 * (a phone's sheet) lowers the bottom to its top; one on the left or right edge (a projector's
 * overlay) moves that edge. Panels beside the map (a desktop's columns) do not overlap it and change nothing.
 */
export function visibleArea(map, panels = []) {
  const area = { ...map };
  for (const p of panels) {
    const overlaps = p.right > map.left && p.left < map.right && p.bottom > map.top && p.top < map.bottom;
    if (!overlaps || p.right - p.left <= 0 || p.bottom - p.top <= 0) continue;
    const fullWidth = p.left <= map.left + 1 && p.right >= map.right - 1;
    if (fullWidth) area.bottom = Math.min(area.bottom, p.top);
    else if (p.left + p.right < map.left + map.right) area.left = Math.max(area.left, p.right);
    else area.right = Math.min(area.right, p.left);
  }
  return area;
}

/**
 * {dx, dy} to pass to Leaflet's map.panBy so that `point` (a marker, or a popup's tip) lies inside
 * `area` by `margin`, with room `above` it (a popup's height) and `beside` it on each side (half a
 * popup's width); {dx: 0, dy: 0} when it does already. When the room above does not fit, the point
 * goes just above the area's bottom (the popup's tip stays visible), and too wide, to the middle.
 */
export function panOffset(point, area, { above = 0, beside = 0, margin = 12 } = {}) {
  const axis = (value, low, high, crowded) => {
    if (low > high) return value - crowded; // no room for all of it
    if (value < low) return value - low;
    if (value > high) return value - high;
    return 0;
  };
  const dy = axis(point.y, area.top + margin + above, area.bottom - margin, area.bottom - margin);
  const dx = axis(point.x, area.left + margin + beside, area.right - margin - beside, (area.left + area.right) / 2);
  return { dx: Math.round(dx), dy: Math.round(dy) };
}

/**
 * Leaflet fitBounds padding ({paddingTopLeft, paddingBottomRight}, px) that fits into `area` (the
 * visible part) of the map's `box`, plus `margin` on every side.
 */
export function fitPadding(box, area, margin = 0) {
  return {
    paddingTopLeft: [Math.max(0, area.left - box.left) + margin, Math.max(0, area.top - box.top) + margin],
    paddingBottomRight: [Math.max(0, box.right - area.right) + margin, Math.max(0, box.bottom - area.bottom) + margin],
  };
}
