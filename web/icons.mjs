// The application's icons as PNG files, drawn at build time (no image
// library): the mark of src/favicon.svg (four rising bars, green to red, on
// the header's blue) at any size, written with node's zlib.
import zlib from 'node:zlib';

// The bars of favicon.svg (the background is style.css's --accent).
const BARS = [   // x, y, width, height in the 32-unit box of favicon.svg
	[5, 18, 5, 9, '#3a9d23'],
	[11.5, 14, 5, 13, '#f2c200'],
	[18, 10, 5, 17, '#f28c00'],
	[24.5, 5, 3, 22, '#d7263d'],
];

const rgb = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));

const CRC = new Uint32Array(256).map((_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++)
		c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});

function crc32(buf) {
	let c = 0xffffffff;
	for (const b of buf)
		c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
	const head = Buffer.alloc(8);
	head.writeUInt32BE(data.length, 0);
	head.write(type, 4, 'ascii');
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
	return Buffer.concat([head, data, crc]);
}

// An RGBA image (size × size × 4 bytes) as a PNG file.
export function png(size, rgba) {
	const raw = Buffer.alloc(size * (size * 4 + 1));
	for (let y = 0; y < size; y++) {
		raw[y * (size * 4 + 1)] = 0;   // filter: none
		rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
	}
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(size, 0);
	ihdr.writeUInt32BE(size, 4);
	ihdr.set([8, 6, 0, 0, 0], 8);   // 8 bits, RGBA, deflate, no filter, no interlace
	return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

// The colour (RGBA) at a point of the 32-unit box: `full` fills the whole
// square (a maskable or Apple icon: the system cuts its own shape, the bars
// shrunk into the safe circle), otherwise a rounded square on transparency.
function colourAt(x, y, full, bg) {
	let u = x, v = y;
	if (full) {   // the bars within the safe circle (80 % across)
		u = 16 + (x - 16) / 0.75;
		v = 16 + (y - 16) / 0.75;
	} else {
		const r = 6, cx = Math.min(Math.max(x, r), 32 - r), cy = Math.min(Math.max(y, r), 32 - r);
		if ((x - cx) ** 2 + (y - cy) ** 2 > r * r)
			return [0, 0, 0, 0];
	}
	for (const [bx, by, bw, bh, c] of BARS)
		if (u >= bx && u < bx + bw && v >= by && v < by + bh)
			return [...rgb(c), 255];
	return [...bg, 255];
}

// The mark at `size` pixels on `background` (#rrggbb), each pixel the mean
// of 3 × 3 samples.
export function icon(size, full, background) {
	const bg = rgb(background);
	const out = Buffer.alloc(size * size * 4);
	const n = 3, k = 32 / size;
	for (let py = 0; py < size; py++)
		for (let px = 0; px < size; px++) {
			const acc = [0, 0, 0, 0];
			for (let sy = 0; sy < n; sy++)
				for (let sx = 0; sx < n; sx++) {
					const c = colourAt((px + (sx + 0.5) / n) * k, (py + (sy + 0.5) / n) * k, full, bg);
					acc[0] += c[0] * c[3]; acc[1] += c[1] * c[3]; acc[2] += c[2] * c[3]; acc[3] += c[3];
				}
			const o = (py * size + px) * 4;
			if (acc[3]) {
				out[o] = Math.round(acc[0] / acc[3]);
				out[o + 1] = Math.round(acc[1] / acc[3]);
				out[o + 2] = Math.round(acc[2] / acc[3]);
			}
			out[o + 3] = Math.round(acc[3] / (n * n));
		}
	return png(size, out);
}
