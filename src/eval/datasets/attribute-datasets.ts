/**
 * Readers for folders of labelled face photos, one face a photo:
 * - `utkface`: `labels.csv` with `file,age,gender[,race]`, or no CSV and
 *   UTKFace's names `age_gender_race_date.jpg` (gender 0 male, 1 female);
 * - `aaf` (All-Age-Faces): `labels.csv` with `file,age,gender`, optional
 *   `landmarks/<stem>.txt` (one `x y` per line); names `PPPPPAaa.jpg` give
 *   the person, so one person's photos stay on one side of the split.
 * Photos are looked up in `images/` and then in the folder itself.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Point } from '../../types.js';
import type { AttributeSample } from './dataset-types.js';
import { parseAge, parseGender, parseLabelsCsv } from './labels-csv.js';

const IMAGE_NAME = /\.(jpe?g|png|webp)$/i;

function imageFolder(root: string): string {
  const images = path.join(root, 'images');
  return existsSync(images) ? images : root;
}

async function readLabels(root: string): Promise<Record<string, string>[] | undefined> {
  const file = path.join(root, 'labels.csv');
  if (!existsSync(file)) return undefined;
  return parseLabelsCsv(await readFile(file, 'utf8'), ['file', 'age', 'gender'], file);
}

/** UTKFace labels from a file name: `26_1_2_2017...jpg` is 26 years, female. */
export function utkLabelsFromName(name: string): { age: number; gender: 'male' | 'female' } | undefined {
  const match = /^(\d+)_([01])_/.exec(name);
  if (!match) return undefined;
  return { age: Number(match[1]), gender: match[2] === '1' ? 'female' : 'male' };
}

/**
 * The UTKFace-shaped folder at `root`.
 *
 * @example
 *   const samples = await readUtkFace('../shared/data/utkface');
 *   samples[0]; // { file: '/…/images/100_1_0_….jpg', name: '100_1_0_….jpg', splitKey: '100_1_0_….jpg', age: 100, gender: 'female' }
 */
export async function readUtkFace(root: string): Promise<AttributeSample[]> {
  const folder = imageFolder(root);
  const labels = await readLabels(root);
  if (labels) {
    return labels.map((row) => ({
      file: path.join(folder, row.file!),
      name: row.file!,
      splitKey: row.file!,
      age: parseAge(row.age!, row.file!),
      gender: parseGender(row.gender!, row.file!),
    }));
  }
  const names = (await readdir(folder)).filter((n) => IMAGE_NAME.test(n)).sort();
  return names.flatMap((name) => {
    const parsed = utkLabelsFromName(name);
    return parsed ? [{ file: path.join(folder, name), name, splitKey: name, ...parsed }] : [];
  });
}

/** Points of a landmark file: one `x y` pair a line. */
export function parseLandmarks(text: string): Point[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim().split(/[\s,]+/).map(Number))
    .filter((xy) => xy.length >= 2 && Number.isFinite(xy[0]) && Number.isFinite(xy[1]))
    .map((xy): Point => [xy[0]!, xy[1]!]);
}

/** The person of an All-Age-Faces name (`00123A45.jpg` -> `00123`), else the name itself. */
export function aafPerson(name: string): string {
  return /^(\d+)A\d+/i.exec(name)?.[1] ?? name;
}

/**
 * The All-Age-Faces-shaped folder at `root`.
 *
 * @example
 *   const samples = await readAllAgeFaces('../shared/data/aaf');
 *   samples[0].splitKey; // '00001' (the person)
 */
export async function readAllAgeFaces(root: string): Promise<AttributeSample[]> {
  const folder = imageFolder(root);
  const labels = await readLabels(root);
  if (!labels) throw new Error(`${root} has no labels.csv (columns file,age,gender)`);
  const landmarkFolder = path.join(root, 'landmarks');
  return Promise.all(
    labels.map(async (row): Promise<AttributeSample> => {
      const name = row.file!;
      const sample: AttributeSample = {
        file: path.join(folder, name),
        name,
        splitKey: aafPerson(name),
        age: parseAge(row.age!, name),
        gender: parseGender(row.gender!, name),
      };
      const landmarkFile = path.join(landmarkFolder, `${path.parse(name).name}.txt`);
      if (existsSync(landmarkFile)) sample.landmarks = parseLandmarks(await readFile(landmarkFile, 'utf8'));
      return sample;
    }),
  );
}
