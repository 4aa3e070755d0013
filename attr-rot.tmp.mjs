import sharp from 'sharp';
import { createAnalyzer } from '/work/wt-attributes/dist/src/index.js';
const a = await createAnalyzer({ poolSize: 1 });
const dir = '/work/wt-attributes/node_modules/@vladmandic/face-api/demo/';
for (const s of [1, 3]) for (const angle of [0, 90, 180, 270]) {
  const buf = await sharp(`${dir}sample${s}.jpg`).rotate(angle).jpeg({ quality: 95 }).toBuffer();
  const r = await a.analyze(buf);
  console.log(s, angle, r.faces.map(f => `${f.gender?.label} ${f.gender?.probability} ${f.age?.years} L=${JSON.stringify(f.landmarks?.slice(0,2))} box=${Math.round(f.box.x)},${Math.round(f.box.y)}`).join(' | '));
}
await a.close();
