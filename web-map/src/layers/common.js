// Helpers shared by the boundary layers.

/**
 * Replaces the features of a boundary GeoJSON layer. If a feature's popup was open,
 * the popup of the feature with the same code is reopened at the same place (so a
 * reload on zoom does not close what the user was reading).
 */
export function setLayerData(layer, featureCollection) {
  let openCode = null;
  let openAt = null;
  layer.eachLayer((child) => {
    if (child.isPopupOpen?.()) {
      openCode = child.feature?.properties?.code ?? null;
      openAt = child.getPopup().getLatLng();
    }
  });
  layer.clearLayers();
  layer.addData(featureCollection);
  if (openCode !== null) {
    layer.eachLayer((child) => {
      if (child.feature?.properties?.code === openCode) child.openPopup(openAt);
    });
  }
}
