// Builds the web application and embeds it in the thichung binary.
//
//   node web/build.mjs --out BUILD/web --c BUILD/web_assets.c
//
// 1. Simplifies and quantises the boundaries in data/ (province map, one
//    district file per province) to hashed /geo/*.json files.
// 2. Bundles src/main.js with esbuild (./constants.js resolves to the module
//    tools/web_constants.c generated from the C tables, --constants) (code splitting: the dashboards and
//    uPlot load only when opened) to hashed /assets/* files.
// 3. Draws the icons (icons.mjs), writes the manifest and index.html (no
//    inline script or style: the CSP allows 'self'), and the service worker
//    /sw.js from src/sw.js with this build's file list (the shell it keeps
//    for offline use; the rule of what it keeps is written there).
// 4. Pre-compresses every file (gzip, brotli; node's zlib) and writes the C
//    table that src/http/static.c serves, then prints the sizes.
import { build, transform } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { icon } from './icons.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = dirname(here);

function arg(name, fallback) {
	const i = process.argv.indexOf(name);
	return i > 0 ? process.argv[i + 1] : fallback;
}
const out = arg('--out', join(repo, 'build', 'web'));
const cfile = arg('--c', join(out, 'web_assets.c'));
// The constants module that tools/web_constants.c writes from the C tables
// (src/constants.js in the sources names it).
const constants = arg('--constants', join(out, '..', 'web-gen', 'constants.js'));
const dist = join(out, 'dist');

rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, 'assets'), { recursive: true });
mkdirSync(join(dist, 'geo'), { recursive: true });

const hash = (buf, n = 10) => createHash('sha256').update(buf).digest('hex').slice(0, n);

/* ---- 1. boundaries ---------------------------------------------------- */

// Perpendicular distance of p from the segment a-b (degrees; small areas).
function segDist(p, a, b) {
	const dx = b[0] - a[0], dy = b[1] - a[1];
	const len2 = dx * dx + dy * dy;
	let t = len2 ? ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2 : 0;
	t = Math.max(0, Math.min(1, t));
	const x = a[0] + t * dx - p[0], y = a[1] + t * dy - p[1];
	return Math.sqrt(x * x + y * y);
}

function douglasPeucker(pts, eps) {
	if (pts.length < 3)
		return pts.slice();
	const keep = new Uint8Array(pts.length);
	keep[0] = keep[pts.length - 1] = 1;
	const stack = [[0, pts.length - 1]];
	while (stack.length) {
		const [i, j] = stack.pop();
		let best = -1, bi = -1;
		for (let k = i + 1; k < j; k++) {
			const d = segDist(pts[k], pts[i], pts[j]);
			if (d > best) { best = d; bi = k; }
		}
		if (best > eps) {
			keep[bi] = 1;
			stack.push([i, bi], [bi, j]);
		}
	}
	return pts.filter((_, k) => keep[k]);
}

const q = (v, dec) => Math.round(v * 10 ** dec) / 10 ** dec;

// A closed ring: split at the vertex farthest from the start so that even a
// tiny island keeps three corners (Hoàng Sa and Trường Sa are such islands).
function simplifyRing(ring, eps, dec) {
	const open = ring.slice(0, -1);
	if (open.length < 3)
		return ring;
	let far = 1, best = -1;
	for (let k = 1; k < open.length; k++) {
		const d = Math.hypot(open[k][0] - open[0][0], open[k][1] - open[0][1]);
		if (d > best) { best = d; far = k; }
	}
	const a = douglasPeucker(ring.slice(0, far + 1), eps);
	const b = douglasPeucker(ring.slice(far), eps);
	let pts = a.concat(b.slice(1));
	for (const d of [dec, dec + 1, 5]) {
		const r = [];
		for (const p of pts) {
			const c = [q(p[0], d), q(p[1], d)];
			const last = r[r.length - 1];
			if (!last || last[0] !== c[0] || last[1] !== c[1])
				r.push(c);
		}
		if (r.length >= 4)
			return r;
	}
	return ring;
}

function simplifyGeometry(g, eps, dec) {
	const poly = (rings) => rings.map((r) => simplifyRing(r, eps, dec));
	if (g.type === 'Polygon')
		return { type: 'Polygon', coordinates: poly(g.coordinates) };
	if (g.type === 'MultiPolygon')
		return { type: 'MultiPolygon', coordinates: g.coordinates.map(poly) };
	return g;
}

const assets = [];   // { path, type, data, flags }
const TYPES = {
	'.js': 'text/javascript; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.json': 'application/json; charset=utf-8',
	'.html': 'text/html; charset=utf-8',
	'.svg': 'image/svg+xml',
	'.png': 'image/png',
	'.txt': 'text/plain; charset=utf-8',
	'.webmanifest': 'application/manifest+json; charset=utf-8',
};
const typeOf = (p) => TYPES[p.slice(p.lastIndexOf('.'))] || 'application/octet-stream';

function addAsset(path, data, flags = 1) {
	assets.push({ path, type: typeOf(path), data: Buffer.from(data), flags });
	writeFileSync(join(dist, path.slice(1)), data);
}

function geoFile(prefix, features) {
	const text = JSON.stringify({ type: 'FeatureCollection', features });
	const path = `/geo/${prefix}-${hash(text)}.json`;
	addAsset(path, text);
	return path;
}

const geo = { provinces: null, districts: {} };
{
	const src = JSON.parse(readFileSync(join(repo, 'data', 'geo_provinces.geojson'), 'utf8'));
	const feats = src.features.map((f) => ({
		type: 'Feature',
		properties: { code: f.properties.code, name: f.properties.name },
		geometry: simplifyGeometry(f.geometry, 0.004, 3),
	}));
	for (const code of ['48', '56'])   // Đà Nẵng (Hoàng Sa), Khánh Hòa (Trường Sa)
		if (!feats.some((f) => f.properties.code === code))
			throw new Error(`province ${code} lost its boundary`);
	geo.provinces = geoFile('provinces', feats);
}
{
	const src = JSON.parse(readFileSync(join(repo, 'data', 'geo_districts.geojson'), 'utf8'));
	const byProvince = {};
	for (const f of src.features) {
		const p = f.properties.province_code;
		(byProvince[p] ||= []).push({
			type: 'Feature',
			properties: { code: f.properties.code, name: f.properties.name },
			geometry: simplifyGeometry(f.geometry, 0.0015, 4),
		});
	}
	for (const p of Object.keys(byProvince).sort())
		geo.districts[p] = geoFile(`d${p}`, byProvince[p]);
}

/* ---- 2. bundle --------------------------------------------------------- */

const result = await build({
	entryPoints: { app: join(here, 'src', 'main.js') },
	bundle: true,
	splitting: true,
	format: 'esm',
	target: ['es2020', 'chrome87', 'firefox78', 'safari14'],
	minify: true,
	sourcemap: false,
	legalComments: 'eof',
	outdir: join(dist, 'assets'),
	entryNames: '[name]-[hash]',
	chunkNames: '[name]-[hash]',
	assetNames: '[name]-[hash]',
	publicPath: '/assets',
	loader: { '.png': 'file', '.svg': 'file' },
	define: { __GEO__: JSON.stringify(geo) },
	plugins: [{
		name: 'constants',
		setup(b) {
			b.onResolve({ filter: /^\.\/constants\.js$/ }, () => ({ path: resolve(constants) }));
		},
	}],
	metafile: true,
	absWorkingDir: here,
	write: true,
	logLevel: 'warning',
});

// metafile paths are relative to absWorkingDir
const webPath = (f) => '/' + relative(dist, resolve(here, f)).split('\\').join('/');
let entryJs = null, entryCss = null;
const firstPage = new Set();
for (const [file, info] of Object.entries(result.metafile.outputs)) {
	const rel = webPath(file);
	// Dynamic imports (dashboards) are entry points too: take main.js's.
	if (info.entryPoint && info.entryPoint.endsWith('src/main.js')) {
		if (rel.endsWith('.js')) {
			entryJs = rel;
			firstPage.add(rel);
			for (const imp of info.imports || [])
				if (imp.kind === 'import-statement')
					firstPage.add(webPath(imp.path));
		}
		if (info.cssBundle)
			entryCss = webPath(info.cssBundle);
	}
}
if (!entryJs)
	throw new Error('esbuild produced no entry script');
if (entryCss)
	firstPage.add(entryCss);
for (const file of Object.keys(result.metafile.outputs)) {
	const rel = webPath(file);
	assets.push({ path: rel, type: typeOf(rel), data: readFileSync(resolve(here, file)), flags: 1 });
}

/* ---- 3. icons, manifest, index.html, service worker --------------------- */

const favicon = readFileSync(join(here, 'src', 'favicon.svg'));
const faviconPath = `/assets/favicon-${hash(favicon)}.svg`;
addAsset(faviconPath, favicon);
// The colours of the header and the page (style.css), for the icons, the
// manifest and the browser's bar.
const css = readFileSync(join(here, 'src', 'style.css'), 'utf8');
const cssColour = (name) => {
	const m = new RegExp(`--${name}:\\s*(#[0-9a-fA-F]{6})`).exec(css);
	if (!m)
		throw new Error(`style.css has no --${name} colour`);
	return m[1].toLowerCase();
};
const theme = cssColour('accent'), background = cssColour('bg');
const hashedPng = (name, data) => {
	const path = `/assets/${name}-${hash(data)}.png`;
	addAsset(path, data);
	return path;
};
const icons = {
	192: hashedPng('icon-192', icon(192, false, theme)),
	512: hashedPng('icon-512', icon(512, false, theme)),
	maskable: hashedPng('icon-maskable-512', icon(512, true, theme)),
	apple: hashedPng('apple-touch-icon-180', icon(180, true, theme)),
};
const manifest = JSON.stringify({
	name: 'thichung — Chống dịch cơ sở',
	short_name: 'thichung',
	description: 'Cấp độ dịch COVID-19 của xã, phường; ca bệnh, cách ly, phản ánh và chỉ đạo ở cơ sở — mở được cả khi mất mạng.',
	lang: 'vi',
	dir: 'ltr',
	start_url: '/home',
	scope: '/',
	id: '/',
	display: 'standalone',
	theme_color: theme,
	background_color: background,
	icons: [
		{ src: icons[192], sizes: '192x192', type: 'image/png', purpose: 'any' },
		{ src: icons[512], sizes: '512x512', type: 'image/png', purpose: 'any' },
		{ src: icons.maskable, sizes: '512x512', type: 'image/png', purpose: 'maskable' },
	],
}, null, 1) + '\n';
addAsset('/manifest.webmanifest', manifest, 0);   // not hashed: revalidated
const index = `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<meta name="theme-color" content="${theme}">
<title>Cấp độ dịch COVID-19 — thichung</title>
<link rel="icon" href="${faviconPath}" type="image/svg+xml">
<link rel="manifest" href="/manifest.webmanifest">
<link rel="apple-touch-icon" href="${icons.apple}">
${entryCss ? `<link rel="stylesheet" href="${entryCss}">\n` : ''}<script type="module" src="${entryJs}"></script>
</head>
<body>
<div id="app"><noscript>Trang này cần JavaScript. / This page needs JavaScript.</noscript></div>
</body>
</html>
`;
addAsset('/index.html', index, 2);   // STATIC_INDEX, revalidated on every visit
firstPage.add('/index.html');

// The offline shell: every file but the boundaries (kept when first drawn).
// Its list names every file by its hash, so a new build is a new worker.
const precache = [...new Set(assets.map((a) => a.path))].filter((p) => !p.startsWith('/geo/')).sort();
const buildId = hash(precache.join('\n') + index + manifest, 12);
const sw = await transform(readFileSync(join(here, 'src', 'sw.js'), 'utf8'), {
	minify: true,
	target: 'es2020',
	define: { __BUILD__: JSON.stringify(buildId), __PRECACHE__: JSON.stringify(precache) },
});
addAsset('/sw.js', `// thichung service worker, build ${buildId}\n` + sw.code, 0);   // not hashed: no-cache

/* ---- 4. compress, embed, report --------------------------------------- */

for (const a of assets) {
	const gz = zlib.gzipSync(a.data, { level: 9 });
	const br = zlib.brotliCompressSync(a.data, {
		params: {
			[zlib.constants.BROTLI_PARAM_QUALITY]: 11,
			[zlib.constants.BROTLI_PARAM_SIZE_HINT]: a.data.length,
		},
	});
	a.gz = gz.length < a.data.length ? gz : null;
	a.br = br.length < a.data.length && (!a.gz || br.length < a.gz.length) ? br : null;
	a.etag = hash(a.data, 20);
}
assets.sort((x, y) => (x.path < y.path ? -1 : 1));

// A C string literal: printable ASCII as is, everything else in octal
// (always three digits, so a following digit cannot join the escape);
// '?' escaped against trigraphs.
function cString(buf) {
	const lines = [];
	let line = '';
	for (let i = 0; i < buf.length; i++) {
		const c = buf[i];
		if (c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c && c !== 0x3f)
			line += String.fromCharCode(c);
		else
			line += '\\' + c.toString(8).padStart(3, '0');
		if (line.length >= 100) {
			lines.push(`\t"${line}"`);
			line = '';
		}
	}
	if (line.length || lines.length === 0)
		lines.push(`\t"${line}"`);
	return lines.join('\n');
}

let c = `/* Generated by web/build.mjs: the web application, embedded. Do not edit. */
#include "http/static.h"

`;
assets.forEach((a, i) => {
	c += `/* ${a.path} */\nstatic const unsigned char asset${i}[] =\n${cString(a.data)};\n`;
	if (a.gz)
		c += `static const unsigned char asset${i}_gz[] =\n${cString(a.gz)};\n`;
	if (a.br)
		c += `static const unsigned char asset${i}_br[] =\n${cString(a.br)};\n`;
});
c += '\nconst struct static_asset static_assets[] = {\n';
assets.forEach((a, i) => {
	c += `\t{ "${a.path}", "${a.type}", asset${i}, ${a.data.length}, ` +
		`${a.gz ? `asset${i}_gz, ${a.gz.length}` : 'NULL, 0'}, ` +
		`${a.br ? `asset${i}_br, ${a.br.length}` : 'NULL, 0'}, "${a.etag}", ${a.flags} },\n`;
});
c += `};\nconst size_t static_assets_count = ${assets.length};\n`;
mkdirSync(dirname(cfile), { recursive: true });
writeFileSync(cfile, c);

const kb = (n) => (n / 1024).toFixed(1).padStart(7) + ' KB';
const best = (a) => (a.br || a.gz || a.data).length;
const gzOr = (a) => (a.gz || a.data).length;
const rows = [];
let fp = { raw: 0, gz: 0, br: 0 }, geoT = { raw: 0, gz: 0, br: 0 };
for (const a of assets) {
	if (firstPage.has(a.path)) {
		fp.raw += a.data.length; fp.gz += gzOr(a); fp.br += best(a);
	}
	if (a.path.startsWith('/geo/')) {
		geoT.raw += a.data.length; geoT.gz += gzOr(a); geoT.br += best(a);
		continue;
	}
	rows.push(`  ${a.path.padEnd(44)} ${kb(a.data.length)} ${kb(gzOr(a))} gzip ${kb(best(a))} br`);
}
const prov = assets.find((a) => a.path === geo.provinces);
const report = [
	'web: embedded files (raw, gzip, brotli):',
	...rows,
	`  ${'geo: provinces'.padEnd(44)} ${kb(prov.data.length)} ${kb(gzOr(prov))} gzip ${kb(best(prov))} br`,
	`  ${`geo: all (${Object.keys(geo.districts).length} district files + provinces)`.padEnd(44)} ${kb(geoT.raw)} ${kb(geoT.gz)} gzip ${kb(geoT.br)} br`,
	`web: first page (index.html, entry script and its imports, css): ${kb(fp.raw)} raw, ${kb(fp.gz)} gzip, ${kb(fp.br)} brotli` +
		` (target < 150 KB compressed: ${fp.gz < 150 * 1024 ? 'met' : 'NOT met'})`,
	`web: offline shell (kept by /sw.js after the first page): ${precache.length} files, ` +
		`${kb(assets.filter((a) => precache.includes(a.path)).reduce((n, a) => n + best(a), 0))} brotli`,
	`web: first page with the province map: ${kb(fp.gz + gzOr(prov))} gzip, ${kb(fp.br + best(prov))} brotli`,
];
writeFileSync(join(out, 'sizes.txt'), report.join('\n') + '\n');
console.log(report.join('\n'));
