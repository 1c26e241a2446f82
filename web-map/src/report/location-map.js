// The report page's small map: the phone's GPS fix (a blue accuracy circle), and a draggable
// pin for the report's location. The pin follows GPS until the warden drags it or taps the map;
// from then on it stays where they put it ("Use my GPS position" gives it back to GPS).
// What position and accuracy the report gets is decided by reportLocation() in form.js.

const MIDDLESBROUGH = [54.555, -1.235];
const FIX_ZOOM = 17;

/**
 * createLocationMap(L, element, {onChange}) -> {setGps(fix), useGps(), gps, pin, map}.
 * `fix` is {lat, lon, accuracy}; `pin` is {lat, lon} once placed by hand, else null.
 * onChange() is called whenever the GPS fix or the pin changes.
 */
export function createLocationMap(L, element, { onChange = () => {} } = {}) {
  const map = L.map(element, { center: MIDDLESBROUGH, zoom: 12, maxZoom: 19 });
  const state = { gps: null, pin: null };
  let circle = null;
  let marker = null;
  let centred = false;

  function placeMarker(latlng) {
    if (!marker) {
      marker = L.marker(latlng, { draggable: true, autoPan: true, keyboard: true, title: 'Report location (drag to move)' });
      marker.on('dragend', () => {
        const at = marker.getLatLng();
        state.pin = { lat: at.lat, lon: at.lng };
        onChange();
      });
      marker.addTo(map);
    } else {
      marker.setLatLng(latlng);
    }
  }

  // A tap on the map puts the pin there (quicker than dragging on a small screen).
  map.on('click', (event) => {
    state.pin = { lat: event.latlng.lat, lon: event.latlng.lng };
    placeMarker(event.latlng);
    onChange();
  });

  return {
    map,
    get gps() {
      return state.gps;
    },
    get pin() {
      return state.pin;
    },
    /** A new GPS fix: move the circle, and the pin too unless it was placed by hand. */
    setGps(fix) {
      state.gps = fix;
      const latlng = [fix.lat, fix.lon];
      if (!circle) {
        circle = L.circle(latlng, {
          radius: fix.accuracy || 0,
          color: '#1d70b8',
          weight: 1,
          fillOpacity: 0.15,
          interactive: false,
          className: 'aim-gps-accuracy',
        }).addTo(map);
      } else {
        circle.setLatLng(latlng);
        circle.setRadius(fix.accuracy || 0);
      }
      if (!state.pin) placeMarker(latlng);
      if (!centred) {
        centred = true;
        map.setView(latlng, FIX_ZOOM, { animate: false });
      }
      onChange();
    },
    /** Forget the hand-placed pin: the report goes back to the GPS position. */
    useGps() {
      state.pin = null;
      if (state.gps) {
        placeMarker([state.gps.lat, state.gps.lon]);
        map.panTo([state.gps.lat, state.gps.lon]);
      }
      onChange();
    },
    /** After a form reset: keep GPS, drop the hand-placed pin. */
    reset() {
      this.useGps();
    },
  };
}
