/**
 * Sun position at the Sentinel-2 overpass (descending node, about 10:30 local mean solar time)
 * for SIMULATED scenes: where cloud shadows fall. Textbook formulas (declination after Cooper
 * 1969; elevation and azimuth from the hour angle); accurate to a degree or so, which is plenty
 * for placing a shadow.
 */
const RAD = Math.PI / 180;

export const OVERPASS_SOLAR_HOUR = 10.5;

export function dayOfYear(date: string): number {
  const t = Date.parse(`${date}T00:00:00Z`);
  return Math.floor((t - Date.parse(`${date.slice(0, 4)}-01-01T00:00:00Z`)) / 86_400_000) + 1;
}

/** Sun elevation and azimuth (degrees; azimuth clockwise from north) at `solarHour` local solar time. */
export function sunPosition(date: string, lat: number, solarHour = OVERPASS_SOLAR_HOUR): { elevation: number; azimuth: number } {
  const decl = 23.44 * Math.sin((2 * Math.PI * (284 + dayOfYear(date))) / 365) * RAD;
  const h = (solarHour - 12) * 15 * RAD;
  const phi = lat * RAD;
  const sinEl = Math.sin(phi) * Math.sin(decl) + Math.cos(phi) * Math.cos(decl) * Math.cos(h);
  const az = Math.atan2(Math.sin(h), Math.cos(h) * Math.sin(phi) - Math.tan(decl) * Math.cos(phi)) / RAD + 180;
  return { elevation: Math.asin(sinEl) / RAD, azimuth: ((az % 360) + 360) % 360 };
}

/**
 * Where the shadow of a cloud at `height` metres lands, in pixels of size `res` (x east, y down
 * the rows, i.e. south): away from the sun, length height / tan(elevation).
 */
export function shadowOffset(date: string, lat: number, height: number, res: number): { dx: number; dy: number } {
  const { elevation, azimuth } = sunPosition(date, lat);
  const len = height / Math.tan(Math.max(5, elevation) * RAD) / res;
  return { dx: Math.round(-Math.sin(azimuth * RAD) * len), dy: Math.round(Math.cos(azimuth * RAD) * len) };
}

/** UTC time of day (HH:MM:SS) of the overpass at longitude `lon`. */
export function overpassUtc(lon: number): string {
  let h = OVERPASS_SOLAR_HOUR - lon / 15;
  h = ((h % 24) + 24) % 24;
  const s = Math.round(h * 3600);
  const pad = (v: number) => String(v).padStart(2, "0");
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}
