/**
 * Invented demo geography for {@code ./aim demo}: a generated borough near Middlesbrough with wards,
 * neighbourhoods, zones and populations, built from {@code geo-data/demo-borough.json}. Nothing here is
 * real boundary data. All geometry is EPSG:27700 (British National Grid), in whole metres.
 */
package aim.boundaries.demo;
