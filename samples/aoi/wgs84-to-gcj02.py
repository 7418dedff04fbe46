"""WGS84 GeoJSON -> GCJ-02 ("Mars coordinates", AMap/Tencent) with the published eviltransform
forward formula (Krasovsky ellipsoid), independent of gcoord. Usage: wgs84-to-gcj02.py in out"""
import json, math, sys

A, EE = 6378245.0, 0.00669342162296594323

def t_lat(x, y):
    r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    r += (20 * math.sin(6 * x * math.pi) + 20 * math.sin(2 * x * math.pi)) * 2 / 3
    r += (20 * math.sin(y * math.pi) + 40 * math.sin(y / 3 * math.pi)) * 2 / 3
    return r + (160 * math.sin(y / 12 * math.pi) + 320 * math.sin(y * math.pi / 30)) * 2 / 3

def t_lon(x, y):
    r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    r += (20 * math.sin(6 * x * math.pi) + 20 * math.sin(2 * x * math.pi)) * 2 / 3
    r += (20 * math.sin(x * math.pi) + 40 * math.sin(x / 3 * math.pi)) * 2 / 3
    return r + (150 * math.sin(x / 12 * math.pi) + 300 * math.sin(x / 30 * math.pi)) * 2 / 3

def gcj02(lon, lat):
    rad = lat / 180 * math.pi
    magic = 1 - EE * math.sin(rad) ** 2
    d_lat = t_lat(lon - 105, lat - 35) * 180 / ((A * (1 - EE)) / (magic * math.sqrt(magic)) * math.pi)
    d_lon = t_lon(lon - 105, lat - 35) * 180 / (A / math.sqrt(magic) * math.cos(rad) * math.pi)
    return [round(lon + d_lon, 9), round(lat + d_lat, 9)]

def walk(c):
    return gcj02(*c[:2]) if isinstance(c[0], (int, float)) else [walk(x) for x in c]

doc = json.load(open(sys.argv[1]))
for f in doc["features"]:
    f["geometry"]["coordinates"] = walk(f["geometry"]["coordinates"])
    f["properties"]["crs"] = "GCJ-02 (as drawn on AMap/Gaode): load with { crs: \"gcj02\" }"
json.dump(doc, open(sys.argv[2], "w"), indent=1)
