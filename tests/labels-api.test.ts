/**
 * The labelling endpoints of `reewatch serve` on 127.0.0.1 over a real demo run carrying a sample
 * (tests/helpers/label-sample.ts writes sample.csv and strata.json as `reewatch run` does): reads
 * open, writes refused without `--labels`, without or with a wrong token, from a foreign origin
 * or host, and for run names or ids that try to leave the run; atomic, serialised writes; the CSV
 * round trip of a hard note; the second labeller's file; image chips at the data's resolution.
 */
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request as httpRequest, type Server } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parse } from "csv-parse/sync";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { colorize } from "../pipeline/src/render/colormap.ts";
import { startServer } from "../tiles/src/server.ts";
import { ROOT } from "./helpers/cli.ts";
import { makeDemo } from "./helpers/demo-fixture.ts";
import { BRUMADINHO_SAMPLE, GANZHOU_SAMPLE, writeSample } from "./helpers/label-sample.ts";

const HEADER = "id,lon,lat,x,y,stratum,reference_class,labeller,confidence,note,stratum_shown";
let demo: string;
let open: { server: Server; url: string };
let labelled: { server: Server; url: string; token: string | null };
let points: { id: string; stratum: string; lon: number; lat: number }[];
/** The label sheets before any request (Bayan Obo's hand-typed one). */
let initial: string[];

beforeAll(async () => {
  // REEWATCH_DEMO=<dir> copies an existing demo output instead of making one (while developing).
  if (process.env.REEWATCH_DEMO) {
    demo = join(mkdtempSync(join(tmpdir(), "reewatch-labels-")), "demo");
    cpSync(process.env.REEWATCH_DEMO, demo, { recursive: true });
  } else demo = await makeDemo();
  // Only the samples written here (runs may write their own): the same points every time.
  for (const site of ["bayan-obo", "brumadinho", "ganzhou"])
    for (const f of ["sample.csv", "strata.json", "labels.csv"]) rmSync(join(demo, site, "estimate", f), { force: true });
  points = await writeSample(join(demo, "ganzhou"), GANZHOU_SAMPLE);
  await writeSample(join(demo, "brumadinho"), BRUMADINHO_SAMPLE);
  // Bayan Obo: a labels.csv filled without labeller names (reference labels typed in by hand).
  await writeSample(join(demo, "bayan-obo"), GANZHOU_SAMPLE);
  const typed = (
    readFileSync(join(demo, "bayan-obo", "estimate", "sample.csv"), "utf8")
      .trim()
      .split("\r\n") as string[]
  ).map((l, i) => (i === 0 ? `${l},stratum_shown` : l.replace(/^([^,]*,[^,]*,[^,]*,[^,]*,[^,]*,([^,]*)),,,,$/, "$1,$2,,,,true")));
  writeFileSync(join(demo, "bayan-obo", "estimate", "labels.csv"), `${typed.join("\r\n")}\r\n`);
  initial = labelFiles();
  open = await startServer({ dir: demo, port: 0 });
  labelled = await startServer({ dir: demo, port: 0, labels: true });
}, 300_000);
afterAll(() => {
  open?.server.close();
  labelled?.server.close();
  if (demo) rmSync(dirname(demo), { recursive: true, force: true });
});

interface Answer {
  status: number;
  body: any;
  text: string;
  headers: Record<string, string | string[] | undefined>;
}

/** One request with full control of the headers (fetch would not let us set Host or Origin freely). */
function call(base: string, method: string, path: string, o: { body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> {
  const { hostname, port } = new URL(base);
  const data = o.body === undefined ? undefined : Buffer.from(typeof o.body === "string" ? o.body : JSON.stringify(o.body));
  return new Promise((ok, fail) => {
    const req = httpRequest({ hostname, port, path, method, headers: { ...(data ? { "content-type": "application/json" } : {}), ...o.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let body: any = null;
        try {
          body = JSON.parse(text);
        } catch {}
        ok({ status: res.statusCode ?? 0, body, text, headers: res.headers });
      });
    });
    req.on("error", fail);
    req.end(data);
  });
}

const authed = (extra: Record<string, string> = {}) => ({ "x-reewatch-token": labelled.token!, ...extra });
const put = (id: string, label: Record<string, unknown>, headers: Record<string, string> = authed(), site = "ganzhou") =>
  call(labelled.url, "PUT", `/api/${site}/labels/${id}`, { body: label, headers });
const label = (cls: string, extra: Record<string, unknown> = {}) => ({
  labeller: "Alice",
  reference_class: cls,
  confidence: "high",
  note: "",
  stratum_shown: false,
  ...extra,
});
const estimate = (site = "ganzhou") => join(demo, site, "estimate");
const sheet = (name = "labels.csv", site = "ganzhou") => readFileSync(join(estimate(site), name), "utf8");
const rows = (text: string) => parse(text, { columns: true }) as Record<string, string>[];
/** Every file under the demo folder whose name starts with "labels" or ends with ".tmp", relative. */
function labelFiles(dir = dirname(demo)): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => /(^|\/)labels[^/]*$|\.tmp$/.test(f))
    .sort();
}

describe("label endpoints: reads", () => {
  it("lists the sites with a sample and says whether the server saves labels", async () => {
    const sites = ["bayan-obo", "brumadinho", "ganzhou"];
    expect((await call(open.url, "GET", "/api/labelling")).body).toEqual({ writable: false, sites });
    expect((await call(labelled.url, "GET", "/api/labelling")).body).toEqual({ writable: true, sites });
  });

  it("serves the sample and the strata as JSON to anyone, never cached", async () => {
    const s = await call(open.url, "GET", "/api/ganzhou/sample");
    expect(s.status).toBe(200);
    expect(s.headers["cache-control"]).toBe("no-store");
    expect(s.body.points.map((p: any) => [p.id, p.stratum, p.lon, p.lat])).toEqual(points.map((p) => [p.id, p.stratum, p.lon, p.lat]));
    const st = await call(open.url, "GET", "/api/brumadinho/strata");
    expect(st.body.type).toBe("reewatch-strata");
    expect(st.body.classes.map((c: any) => c.name)).toEqual(["undisturbed", "disturbed"]);
    rmSync(join(demo, "bayan-obo", "estimate", "sample.csv"));
    const none = await call(open.url, "GET", "/api/bayan-obo/sample");
    expect([none.status, none.body.error]).toEqual([404, expect.stringContaining("estimate/sample.csv: not found")]);
    await writeSample(join(demo, "bayan-obo"), GANZHOU_SAMPLE);
  });

  it("answers a labeller's saved labels (none yet) with the file they will go to", async () => {
    const r = await call(open.url, "GET", "/api/brumadinho/labels?labeller=Nobody");
    expect(r.body).toEqual({ writable: false, labeller: "Nobody", file: "labels.csv", total: 12, labelled: 0, skipped: 0, rows: [] });
    expect((await call(open.url, "GET", "/api/brumadinho/labels.csv?labeller=Nobody")).status).toBe(404);
    expect((await call(open.url, "GET", "/api/brumadinho/labels")).status).toBe(400);
  });
});

describe("label endpoints: who may write", () => {
  it("refuses every write with 403 and a one-line reason when serve was started without --labels", async () => {
    const token = { "x-reewatch-token": labelled.token! };
    const a = await call(open.url, "PUT", `/api/ganzhou/labels/${points[0]!.id}`, { body: label("stable"), headers: token });
    const b = await call(open.url, "DELETE", `/api/ganzhou/labels/${points[0]!.id}?labeller=Alice`, { headers: token });
    for (const r of [a, b]) {
      expect(r.status).toBe(403);
      expect(r.body.error).toMatch(/^labels are read-only: start `reewatch serve --labels`/);
      expect(r.body.error).not.toContain("\n");
    }
    expect(labelFiles()).toEqual(initial);
  });

  it("refuses writes without the token, with a wrong one, from a foreign origin or host", async () => {
    const id = points[0]!.id;
    const own = new URL(labelled.url);
    const cases: [string, Record<string, string>, RegExp][] = [
      ["no token", {}, /missing or wrong x-reewatch-token/],
      ["wrong token", { "x-reewatch-token": `${labelled.token!.slice(0, -1)}x` }, /missing or wrong/],
      ["short token", { "x-reewatch-token": "abc" }, /missing or wrong/],
      ["foreign origin", authed({ origin: "http://evil.example" }), /origin "http:\/\/evil.example" is not this server/],
      ["foreign port", authed({ origin: `http://127.0.0.1:${Number(own.port) + 1}` }), /is not this server/],
      ["opaque origin", authed({ origin: "null" }), /origin "null"/],
      ["rebound host", authed({ host: `evil.example:${own.port}` }), /host "evil.example:\d+" is not this server/],
    ];
    for (const [name, headers, reason] of cases) {
      const r = await put(id, label("stable"), headers);
      expect([name, r.status]).toEqual([name, 403]);
      expect(r.body.error, name).toMatch(reason);
      const d = await call(labelled.url, "DELETE", `/api/ganzhou/labels/${id}?labeller=Alice`, { headers });
      expect([name, d.status]).toEqual([name, 403]);
    }
    expect(labelFiles()).toEqual(initial);
    // A foreign page's CORS preflight (needed for the custom header) fails.
    const pre = await call(labelled.url, "OPTIONS", `/api/ganzhou/labels/${id}`, {
      headers: { origin: "http://evil.example", "access-control-request-method": "PUT", "access-control-request-headers": "x-reewatch-token" },
    });
    expect(pre.status).toBe(405);
    // The server's own origins are accepted (the page sends its origin with every PUT).
    for (const origin of [labelled.url, labelled.url.replace("127.0.0.1", "localhost")])
      expect((await put(id, label("stable"), authed({ origin }))).status).toBe(200);
    expect((await call(labelled.url, "DELETE", `/api/ganzhou/labels/${id}?labeller=Alice`, { headers: authed() })).status).toBe(200);
  });

  it("refuses run names and ids that try to leave the run, and writes nothing anywhere", async () => {
    const before = labelFiles();
    const paths = [
      "/api/..%2F..%2Fetc/labels/1",
      "/api/%2e%2e/labels/1",
      "/api/../ganzhou/labels/1",
      "/api/ganzhou%2F..%2Fbrumadinho/labels/1",
      "/api/ganzhou%5c..%5cbrumadinho/labels/1",
      "/api/nosuch/labels/1",
      "/api/ganzhou/labels/..%2F..%2Fsample.csv",
      "/api/ganzhou/labels/%2e%2e",
      "/api/ganzhou/labels/1%00",
      "/api/ganzhou/labels/999999",
    ];
    for (const path of paths) {
      const r = await call(labelled.url, "PUT", path, { body: label("stable"), headers: authed() });
      expect([path, r.status >= 400 && r.status < 500]).toEqual([path, true]);
    }
    expect(labelFiles()).toEqual(before);
    // A labeller name is only ever a file-name part: "../../x" becomes labels-x.csv inside estimate/.
    expect((await put(points[1]!.id, label("stable", { labeller: "Carol" }), authed(), "brumadinho")).status).toBe(400);
    expect((await put(points[1]!.id, label("undisturbed", { labeller: "Carol" }), authed(), "brumadinho")).body.file).toBe("labels.csv");
    const r = await put(points[1]!.id, label("disturbed", { labeller: "../../../x" }), authed(), "brumadinho");
    expect([r.status, r.body.file]).toEqual([200, "labels-x.csv"]);
    expect(labelFiles()).toEqual([...before, "demo/brumadinho/estimate/labels-x.csv", "demo/brumadinho/estimate/labels.csv"].sort());
    expect((await put(points[1]!.id, label("stable", { labeller: "../.." }), authed(), "brumadinho")).status).toBe(400);
  });

  it("validates a label: classes of strata.json, confidence, note, stratum_shown", async () => {
    const id = points[0]!.id;
    const bad: [Record<string, unknown>, RegExp][] = [
      [label("forest"), /reference_class "forest" is not a class of the map \(stable, disturbed, recovering, restored\)/],
      [label("stable", { confidence: "sure" }), /confidence "sure"/],
      [label("stable", { stratum_shown: "no" }), /stratum_shown must be true or false/],
      [label("stable", { labeller: "" }), /labeller "" must be 1 to 80 characters/],
      [label("stable", { labeller: "a\u0007b" }), /no control characters/],
      [label("stable", { note: "x".repeat(2001) }), /note must be text of at most 2000/],
    ];
    for (const [body, reason] of bad) {
      const r = await put(id, body);
      expect(r.status).toBe(400);
      expect(r.body.error).toMatch(reason);
    }
    expect((await call(labelled.url, "PUT", `/api/ganzhou/labels/${id}`, { body: "{nope", headers: authed() })).status).toBe(400);
    expect((await call(labelled.url, "POST", `/api/ganzhou/labels/${id}`, { body: label("stable"), headers: authed() })).status).toBe(405);
    expect(existsSync(join(estimate(), "labels.csv")) ? rows(sheet()).filter((r) => r.labeller) : []).toEqual([]);
  });
});

describe("label endpoints: what is written", () => {
  it("keeps the file whole under concurrent writes (every point at once, 16 of them twice), and loses none", async () => {
    const classes = ["stable", "disturbed", "recovering", "restored"];
    const ids = points.map((p) => p.id);
    const want = new Map(ids.map((id, i) => [id, classes[i % 4]!]));
    // While the writes run, the file is read again and again: every read is a whole sheet.
    let reading = true;
    const reads: number[] = [];
    const reader = (async () => {
      while (reading) {
        const p = join(estimate(), "labels.csv");
        if (existsSync(p)) {
          const text = readFileSync(p, "utf8");
          expect(text.startsWith(`${HEADER}\r\n`)).toBe(true);
          reads.push(rows(text).length);
        }
        await new Promise((r) => setImmediate(r));
      }
    })();
    const answers = await Promise.all([
      ...ids.map((id) => put(id, label(want.get(id)!, { note: `note ${id}` }))),
      ...ids.slice(0, 16).map((id) => put(id, label(want.get(id)!, { note: `note ${id}` }))),
    ]);
    reading = false;
    await reader;
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((n) => n === ids.length)).toBe(true);
    const saved = rows(sheet());
    expect(saved.map((r) => r.id)).toEqual(ids);
    expect(saved.map((r) => r.reference_class)).toEqual(ids.map((id) => want.get(id)));
    expect(saved.map((r) => r.note)).toEqual(ids.map((id) => `note ${id}`));
    expect(saved.every((r) => r.labeller === "Alice" && r.stratum_shown === "false")).toBe(true);
    expect(labelFiles().filter((f) => f.endsWith(".tmp"))).toEqual([]);
    // The sample's own columns are copied as written.
    const sample = parse(readFileSync(join(estimate(), "sample.csv"), "utf8"), { columns: true }) as Record<string, string>[];
    expect(saved.map((r) => [r.id, r.lon, r.lat, r.x, r.y, r.stratum])).toEqual(sample.map((r) => [r.id, r.lon, r.lat, r.x, r.y, r.stratum]));
  });

  it("round-trips a note with commas, quotes, a line break and Chinese text through the CSV", async () => {
    const note = 'Pit edge, "fresh" spoil; 新开采的稀土矿堆，仍有"积水"\nsecond line';
    const id = points[2]!.id;
    const r = await put(id, label("disturbed", { note, confidence: "low", stratum_shown: true }));
    expect(r.status).toBe(200);
    const row = rows(sheet()).find((q) => q.id === id)!;
    expect(row).toMatchObject({ reference_class: "disturbed", note, confidence: "low", stratum_shown: "true", labeller: "Alice" });
    const json = await call(labelled.url, "GET", "/api/ganzhou/labels?labeller=Alice");
    expect(json.body.rows.find((q: any) => q.id === id).note).toBe(note);
    const csv = await call(labelled.url, "GET", "/api/ganzhou/labels.csv?labeller=Alice");
    expect(csv.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(csv.headers["content-disposition"]).toContain('filename="ganzhou-labels.csv"');
    expect(csv.text).toBe(sheet());
  });

  it("clears a label (undo) and counts skipped points apart from labelled ones", async () => {
    const [a, b] = [points[3]!.id, points[4]!.id];
    const skip = await put(b, label("", { confidence: "" }));
    expect(skip.body.row).toMatchObject({ reference_class: "", labeller: "Alice" });
    const before = skip.body;
    const undo = await call(labelled.url, "DELETE", `/api/ganzhou/labels/${a}?labeller=Alice`, { headers: authed() });
    expect(undo.status).toBe(200);
    expect(undo.body.row).toMatchObject({ id: a, reference_class: "", labeller: "", confidence: "", note: "", stratum_shown: "" });
    expect([undo.body.labelled, undo.body.skipped]).toEqual([before.labelled - 1, before.skipped]);
    const g = await call(labelled.url, "GET", "/api/ganzhou/labels?labeller=Alice");
    expect(g.body.rows.some((r: any) => r.id === a)).toBe(false);
    expect(g.body.rows.find((r: any) => r.id === b)).toMatchObject({ reference_class: "" });
  });

  it("puts a second labeller's labels beside the first one's, in labels-<slug>.csv", async () => {
    const before = sheet();
    const r = await put(points[0]!.id, label("restored", { labeller: "Wáng Fāng 王芳" }));
    expect(r.body.file).toBe("labels-wáng-fāng-王芳.csv");
    expect(sheet()).toBe(before);
    expect(rows(sheet("labels-wáng-fāng-王芳.csv")).find((q) => q.id === points[0]!.id)).toMatchObject({
      labeller: "Wáng Fāng 王芳",
      reference_class: "restored",
    });
    const g = await call(labelled.url, "GET", `/api/ganzhou/labels?labeller=${encodeURIComponent("Wáng Fāng 王芳")}`);
    expect([g.body.file, g.body.labelled]).toEqual(["labels-wáng-fāng-王芳.csv", 1]);
    // Another name with the same file name part may not write into that sheet.
    const clash = await put(points[1]!.id, label("stable", { labeller: "WÁNG FĀNG 王芳" }));
    expect([clash.status, clash.body.error]).toEqual([409, expect.stringContaining('holds labels by "Wáng Fāng 王芳"')]);
  });

  it("leaves a labels.csv filled without labeller names alone: a labeller gets a file of their own", async () => {
    const typed = sheet("labels.csv", "bayan-obo");
    expect(rows(typed).every((r) => r.reference_class && !r.labeller)).toBe(true);
    const g = await call(labelled.url, "GET", "/api/bayan-obo/labels?labeller=Dana");
    expect([g.body.file, g.body.labelled, g.body.rows]).toEqual(["labels-dana.csv", 0, []]);
    const r = await put("1", label("restored", { labeller: "Dana" }), authed(), "bayan-obo");
    expect([r.status, r.body.file, r.body.labelled]).toEqual([200, "labels-dana.csv", 1]);
    expect(sheet("labels.csv", "bayan-obo")).toBe(typed);
  });
});

describe("image chips", () => {
  it("cuts a window at the data's own resolution, centred on the sampled pixel, in the product's colours", async () => {
    const p = points.find((q) => q.stratum === "disturbed")!;
    const q = `lon=${p.lon}&lat=${p.lat}`;
    const png = await call(open.url, "GET", `/api/ganzhou/chip?product=ndvi&date=2024&${q}&size=31`);
    expect(png.status).toBe(200);
    const res = await fetch(`${open.url}/api/ganzhou/chip?product=ndvi&date=2024&${q}&size=31`);
    const { data, info } = await sharp(Buffer.from(await res.arrayBuffer()))
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([31, 31]);
    const series = (await (await fetch(`${open.url}/api/ganzhou/point?${q}&product=ndvi`)).json()).series;
    const v = series.find((s: any) => s.date === "2024").value;
    const k = (15 * 31 + 15) * 4;
    expect(v).not.toBeNull();
    expect(Array.from(data.subarray(k, k + 4))).toEqual(Array.from(colorize([v], "ndvi", [-0.2, 0.9])));
    const tc = await fetch(`${open.url}/api/ganzhou/chip?product=truecolor&date=2016&${q}`);
    expect((await sharp(Buffer.from(await tc.arrayBuffer())).metadata()).width).toBe(31);
    for (const bad of ["size=30", "size=3", "size=1001", "size=x"])
      expect((await fetch(`${open.url}/api/ganzhou/chip?product=ndvi&date=2024&${q}&${bad}`)).status).toBe(400);
    expect((await fetch(`${open.url}/api/ganzhou/chip?product=ndvi&date=1999&${q}`)).status).toBe(404);
    expect((await fetch(`${open.url}/api/ganzhou/chip?product=ndvi&date=2024&lon=0&lat=0`)).status).toBe(404);
  });
});

describe("reewatch serve --labels", () => {
  /** Starts the CLI and resolves with its first stdout lines; the process is killed afterwards. */
  function serve(args: string[]): Promise<{ lines: string[]; stderr: string; code: number | null }> {
    return new Promise((ok) => {
      const child = spawn(process.execPath, [`${ROOT}bin/reewatch.js`, "serve", demo, "--port", "0", ...args], { cwd: ROOT });
      let out = "";
      let err = "";
      const done = (code: number | null) => {
        clearTimeout(timer);
        child.kill();
        ok({ lines: out.trim().split("\n"), stderr: err, code });
      };
      const timer = setTimeout(() => done(null), 60_000);
      child.stdout.on("data", (d) => {
        out += d;
        if (out.includes("\n") && (!args.includes("--labels") || out.trim().split("\n").length >= 2)) setTimeout(() => done(null), 100);
      });
      child.stderr.on("data", (d) => {
        err += d;
      });
      child.on("exit", (code) => done(code));
    });
  }

  it("prints one address per sampled run with a fresh token, and a plain address without --labels", async () => {
    const a = await serve(["--labels"]);
    expect(a.lines).toHaveLength(3);
    expect(a.lines[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}#label=bayan-obo$/);
    expect(a.lines.slice(1).map((l) => l.split("#")[1])).toEqual(["label=brumadinho", "label=ganzhou"]);
    expect(a.stderr).toContain("labelling on");
    const b = await serve(["--labels"]);
    expect(b.lines[0]!.split("token=")[1]).not.toBe(a.lines[0]!.split("token=")[1]);
    expect((await serve([])).lines[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const wild = await serve(["--labels", "--host", "0.0.0.0"]);
    expect(wild.code).not.toBe(0);
    expect(wild.stderr).toContain("--labels with --host 0.0.0.0");
  }, 120_000);

  it("warns when --host leaves loopback, and not on 127.0.0.1", async () => {
    // 192.0.2.1 (TEST-NET-1, RFC 5737) is on no interface here: the warning comes first, then bind fails; nothing listens beyond loopback
    const outside = await serve(["--host", "192.0.2.1"]);
    expect(outside.stderr).toMatch(/^warning: --host 192\.0\.2\.1 serves the runs beyond this machine/);
    expect(outside.stderr).toContain("EADDRNOTAVAIL");
    expect(outside.code).not.toBe(0);
    const local = await serve(["--host", "127.0.0.1"]);
    expect(local.lines[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(local.stderr).not.toContain("warning");
  }, 120_000);
});
