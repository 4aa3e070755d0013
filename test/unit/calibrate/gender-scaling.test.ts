import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyPlatt, fitPlatt } from '../../../src/calibrate/gender-scaling.js';

const logit = (p: number) => Math.log(p / (1 - p));

describe('Platt scaling', () => {
  it('with two confidence levels, fits both observed frequencies exactly (two equations, two unknowns)', () => {
    // Said 0.8 male four times (3 were male), 0.3 male four times (1 was male).
    const p = [0.8, 0.8, 0.8, 0.8, 0.3, 0.3, 0.3, 0.3];
    const male = [true, true, true, false, true, false, false, false];
    const fit = fitPlatt(p, male);
    const scale = (logit(0.75) - logit(0.25)) / (logit(0.8) - logit(0.3));
    const shift = logit(0.75) - scale * logit(0.8);
    assert.ok(Math.abs(fit.scale - scale) < 1e-6, `scale ${fit.scale} vs ${scale}`);
    assert.ok(Math.abs(fit.shift - shift) < 1e-6, `shift ${fit.shift} vs ${shift}`);
    assert.ok(Math.abs(applyPlatt(fit, 0.8) - 0.75) < 1e-6);
    assert.ok(Math.abs(applyPlatt(fit, 0.3) - 0.25) < 1e-6);
  });

  it('a probability that says nothing gets scale 0: every face becomes 0.5', () => {
    const fit = fitPlatt([0.9, 0.9, 0.1, 0.1], [true, false, false, true]);
    assert.ok(Math.abs(fit.scale) < 1e-6 && Math.abs(fit.shift) < 1e-6);
  });

  it('temperature only: no shift, so no label changes side, and an overconfident model is softened', () => {
    // Says 0.99 but is right 9 times in 10, on both labels.
    const p = [...Array(10).fill(0.99), ...Array(10).fill(0.01)];
    const male = [...Array(9).fill(true), false, ...Array(9).fill(false), true];
    const fit = fitPlatt(p, male, { temperatureOnly: true });
    assert.equal(fit.shift, 0);
    assert.ok(Math.abs(fit.scale - logit(0.9) / logit(0.99)) < 1e-6);
    for (const q of [0.51, 0.7, 0.99]) assert.ok(applyPlatt(fit, q) > 0.5 && applyPlatt(fit, 1 - q) < 0.5);
  });

  it('refuses mismatched or empty input', () => {
    assert.throws(() => fitPlatt([0.5], []), /one label per probability/);
    assert.throws(() => fitPlatt([], []), /at least one/);
  });
});
