/** KML text -> GeoJSON FeatureCollection, with @tmcw/togeojson on @xmldom/xmldom's DOM. */
import { kml } from "@tmcw/togeojson";
import { DOMParser, onErrorStopParsing } from "@xmldom/xmldom";
import { BadParameter, oneLine } from "../errors.ts";

export function readKml(text: string, label: string): unknown {
  let doc: ReturnType<DOMParser["parseFromString"]>;
  try {
    // onErrorStopParsing: malformed XML is an error here, not a console warning and a partial tree.
    doc = new DOMParser({ onError: onErrorStopParsing }).parseFromString(text, "text/xml");
  } catch (err) {
    throw new BadParameter(`${label}: not well-formed KML (${firstLine(err)})`);
  }
  if (doc.documentElement?.localName !== "kml") throw new BadParameter(`${label}: XML root is <${doc.documentElement?.nodeName}>, not <kml>`);
  return kml(doc);
}

/** The parser's first line, whitespace runs (tabs quoted from the file) collapsed. */
function firstLine(err: unknown): string {
  return oneLine(String((err as Error).message ?? err).split("\n")[0]!);
}
