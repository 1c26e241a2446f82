// Drawing on the map with plain Leaflet click handlers (no plugin): a point (one click, then drag
// the pin to move it), a polygon (a click per corner; clicking the first corner or finish() closes
// it; undo() removes the last corner), or picking one point for a search. Only one of these at a
// time: starting one cancels the other.
//
// While a tool listens, the map container has the class aim-asset-drawing: the CSS (assets.css)
// lets clicks pass through every other layer's shapes and markers to the map, so a click on a ward
// or an incident adds a corner instead of opening a popup; double-click zoom is off.
//
// The shape is plain data for assets/form.js: {type: 'point', latlng} | {type: 'polygon', latlngs}.

/** What the user should do next, for the panel's hint line. */
export function drawHint(mode, corners) {
  if (mode === 'point') return 'Click the map where it is.';
  if (mode === 'pick') return 'Click the map at the point to use.';
  if (mode === 'polygon') {
    if (corners === 0) return 'Click the map at the first corner of the shape.';
    if (corners < 3) return `${corners} corner${corners === 1 ? '' : 's'}: click to add more (at least 3).`;
    return `${corners} corners: click to add more; click the first corner or "Finish shape" to close it.`;
  }
  return '';
}

/**
 * The drawing tool on `map`: {drawPoint(onChange), drawPolygon(onChange), pick(onPick), finish(),
 * undo(), cancel(), clear(), shape(), mode(), corners()}. onChange(shape) is called after every change
 * of the drawn shape; onPick(latlng) once for a pick. `pane` holds the drawing (above the markers).
 */
export function createDrawTool(L, map, { pane, onMode = () => {} } = {}) {
  const layer = L.layerGroup().addTo(map);
  let mode = null; // 'point' | 'polygon' | 'pick' while listening to clicks
  let kind = null; // 'point' | 'polygon': what is drawn (kept after listening stops)
  let point = null; // L.LatLng
  let vertices = [];
  let onChange = () => {};
  let onPick = null;
  let doubleClickZoom = false;

  const handleIcon = L.divIcon({ className: 'aim-draw-handle aim-draw-point', html: '<span></span>', iconSize: [22, 22], iconAnchor: [11, 11] });

  function shape() {
    if (kind === 'point' && point) return { type: 'point', latlng: { lat: point.lat, lng: point.lng } };
    if (kind === 'polygon') return { type: 'polygon', latlngs: vertices.map((v) => ({ lat: v.lat, lng: v.lng })) };
    return null;
  }

  function redraw() {
    layer.clearLayers();
    if (kind === 'point' && point) {
      const marker = L.marker(point, { icon: handleIcon, draggable: true, pane, keyboard: false, title: 'Drag to move' });
      marker.on('dragend', () => {
        point = marker.getLatLng();
        onChange(shape());
      });
      layer.addLayer(marker);
    }
    if (kind === 'polygon' && vertices.length > 0) {
      const style = { pane, color: '#d7191c', weight: 3, dashArray: mode === 'polygon' ? '6 4' : null, interactive: false };
      if (vertices.length >= 3) layer.addLayer(L.polygon(vertices, { ...style, fillOpacity: 0.2 }));
      else if (vertices.length === 2) layer.addLayer(L.polyline(vertices, style));
      vertices.forEach((v, index) => {
        const handle = L.circleMarker(v, {
          pane,
          radius: index === 0 && mode === 'polygon' && vertices.length >= 3 ? 8 : 5,
          color: '#d7191c',
          weight: 2,
          fillColor: '#fff',
          fillOpacity: 1,
          className: `aim-draw-handle aim-draw-vertex${index === 0 ? ' aim-draw-first' : ''}`,
        });
        if (index === 0) {
          handle.on('click', (event) => {
            L.DomEvent.stopPropagation(event);
            if (mode === 'polygon' && vertices.length >= 3) finish();
          });
        }
        layer.addLayer(handle);
      });
    }
  }

  function listen(next) {
    stopListening();
    mode = next;
    map.closePopup();
    doubleClickZoom = map.doubleClickZoom.enabled();
    map.doubleClickZoom.disable();
    map.getContainer().classList.add('aim-asset-drawing');
    map.on('click', onClick);
    onMode(mode);
  }

  function stopListening() {
    if (!mode) return;
    map.off('click', onClick);
    map.getContainer().classList.remove('aim-asset-drawing');
    if (doubleClickZoom) map.doubleClickZoom.enable();
    mode = null;
    onMode(null);
  }

  function onClick(event) {
    if (mode === 'point') {
      point = event.latlng;
      stopListening();
      redraw();
      onChange(shape());
    } else if (mode === 'polygon') {
      vertices.push(event.latlng);
      redraw();
      onChange(shape());
    } else if (mode === 'pick') {
      const callback = onPick;
      stopListening();
      callback?.(event.latlng);
    }
  }

  function finish() {
    if (mode === 'polygon') {
      stopListening();
      redraw();
      onChange(shape());
    }
  }

  function clear() {
    stopListening();
    kind = null;
    point = null;
    vertices = [];
    layer.clearLayers();
  }

  return {
    drawPoint(callback = () => {}) {
      clear();
      kind = 'point';
      onChange = callback;
      listen('point');
    },
    drawPolygon(callback = () => {}) {
      clear();
      kind = 'polygon';
      onChange = callback;
      listen('polygon');
      redraw();
    },
    /** One click on the map -> onPick(latlng); what is drawn stays. */
    pick(callback) {
      if (mode === 'polygon' || mode === 'point') clear();
      onPick = callback;
      listen('pick');
    },
    finish,
    undo() {
      if (kind !== 'polygon' || vertices.length === 0) return;
      vertices.pop();
      redraw();
      onChange(shape());
    },
    /** Stops listening; a pick is abandoned, a drawn shape stays until clear(). */
    cancel: stopListening,
    clear,
    shape,
    mode: () => mode,
    corners: () => (kind === 'polygon' ? vertices.length : kind === 'point' && point ? 1 : 0),
  };
}
