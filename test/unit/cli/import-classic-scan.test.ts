/**
 * How `models import-classic` reads a folder's file names: both classic
 * layouts, a pair with one file missing, a folder mixing the layouts, case,
 * and what it prints.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLASSIC_LAYOUTS, describeScan, scanClassicFolder } from '../../../src/cli/import-classic-command.js';

const FLASK = ['face_detection.prototxt', 'face_detection.caffemodel', 'age_prediction.prototxt', 'age_prediction.caffemodel', 'gender_classification.prototxt', 'gender_classification.caffemodel'];
const LEARNOPENCV = ['opencv_face_detector_uint8.pb', 'opencv_face_detector.pbtxt', 'age_deploy.prototxt', 'age_net.caffemodel', 'gender_deploy.prototxt', 'gender_net.caffemodel'];

describe('scanClassicFolder', () => {
  it("recognises the Flask app's layout: three Caffe pairs, OpenCV's preprocessing", () => {
    const scan = scanClassicFolder([...FLASK, 'README.txt']);
    assert.equal(scan.layout?.id, 'flask-app');
    assert.equal(scan.layout?.preprocessing, 'opencv');
    assert.deepEqual(scan.networks.map((n) => [n.slot, n.format, n.files]), [
      ['detector', 'caffe', ['face_detection.prototxt', 'face_detection.caffemodel']],
      ['age', 'caffe', ['age_prediction.prototxt', 'age_prediction.caffemodel']],
      ['gender', 'caffe', ['gender_classification.prototxt', 'gender_classification.caffemodel']],
    ]);
    assert.deepEqual(scan.unused, []);
  });

  it("recognises LearnOpenCV's layout: the TF detector (.pb first, as import-tf takes it), its preprocessing", () => {
    const scan = scanClassicFolder(LEARNOPENCV);
    assert.equal(scan.layout?.id, 'learnopencv');
    assert.equal(scan.layout?.preprocessing, 'classic-app');
    assert.deepEqual(scan.networks[0], { slot: 'detector', layout: 'learnopencv', format: 'tensorflow', files: ['opencv_face_detector_uint8.pb', 'opencv_face_detector.pbtxt'], missing: [] });
    assert.deepEqual(scan.networks[1]!.files, ['age_deploy.prototxt', 'age_net.caffemodel']);
  });

  it('names the missing half of a pair, keeping the complete ones', () => {
    const scan = scanClassicFolder(LEARNOPENCV.filter((f) => f !== 'age_net.caffemodel'));
    assert.deepEqual(scan.networks[1], { slot: 'age', layout: 'learnopencv', format: 'caffe', files: null, missing: ['age_net.caffemodel'] });
    assert.ok(scan.networks[0]!.files && scan.networks[2]!.files);
    assert.deepEqual(scan.unused, [], 'the prototxt left alone is reported with its pair, not as unused');
  });

  it('names every candidate of a network with no file at all', () => {
    const scan = scanClassicFolder(FLASK.filter((f) => !f.startsWith('gender')));
    assert.deepEqual(scan.networks[2], {
      slot: 'gender',
      layout: null,
      format: null,
      files: null,
      missing: ['gender_classification.prototxt + gender_classification.caffemodel', 'gender_deploy.prototxt + gender_net.caffemodel'],
    });
  });

  it('takes a complete pair of the other layout where the main one lacks it, and ignores case', () => {
    const names = ['OPENCV_FACE_DETECTOR_UINT8.PB', 'opencv_face_detector.pbtxt', 'age_deploy.prototxt', 'age_net.caffemodel', 'gender_classification.prototxt', 'gender_classification.caffemodel'];
    const scan = scanClassicFolder(names);
    assert.equal(scan.layout?.id, 'learnopencv');
    assert.deepEqual(scan.networks[0]!.files, ['OPENCV_FACE_DETECTOR_UINT8.PB', 'opencv_face_detector.pbtxt']);
    assert.deepEqual(scan.networks[2]!.files, ['gender_classification.prototxt', 'gender_classification.caffemodel']);
    assert.equal(scan.networks[2]!.layout, 'flask-app');
  });

  it("lists as unused the other layout's files when both are complete", () => {
    const scan = scanClassicFolder([...LEARNOPENCV, 'face_detection.prototxt', 'face_detection.caffemodel']);
    assert.equal(scan.layout?.id, 'learnopencv');
    assert.deepEqual(scan.unused, ['face_detection.prototxt', 'face_detection.caffemodel']);
  });

  it('finds nothing in a folder of other files', () => {
    const scan = scanClassicFolder(['photo.jpg', 'deploy.prototxt']);
    assert.equal(scan.layout, null);
    assert.ok(scan.networks.every((n) => n.files === null && n.layout === null));
  });
});

describe('describeScan', () => {
  it('says the layout, each network found, and what is missing', () => {
    const lines = describeScan('/root/models', scanClassicFolder(LEARNOPENCV.filter((f) => f !== 'gender_net.caffemodel')));
    assert.match(lines[0]!, /^\/root\/models: LearnOpenCV's AgeGender layout/);
    assert.equal(lines[1], '  detector  found opencv_face_detector_uint8.pb + opencv_face_detector.pbtxt (TensorFlow)');
    assert.equal(lines[2], '  age       found age_deploy.prototxt + age_net.caffemodel (Caffe)');
    assert.equal(lines[3], '  gender    MISSING gender_net.caffemodel (the other file of the pair is there)');
  });

  it('has one entry per layout with three networks', () => {
    assert.deepEqual(CLASSIC_LAYOUTS.map((l) => Object.keys(l.networks)), [['detector', 'age', 'gender'], ['detector', 'age', 'gender']]);
  });
});
