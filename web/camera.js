// Camera mode: with permission, sends downscaled JPEG frames of the webcam
// stream to the API, one in flight at a time, and draws the latest faces on
// a canvas over the video. Stopping releases the camera.
import { analyzePhoto } from './api.js';
import { drawFaces } from './overlay.js';

const FRAME_WIDTH = 640;
const FRAME_HEIGHT = 480;
const FRAMES_IN_FLIGHT = 2;

export function startCameraMode({ toggle, status, stage, video, overlay, errorLine, messages, errorText, profile = () => '' }) {
  let stream = null;
  let running = false;
  let lastResult = null;
  let frames = 0;
  let since = performance.now();
  let fps = 0;
  // Frames sent so far, and the newest one drawn.
  let sent = 0;
  let drawn = 0;
  const grab = document.createElement('canvas');

  function refresh() {
    const m = messages();
    toggle.textContent = running ? m.cameraStop : m.cameraStart;
    toggle.setAttribute('aria-pressed', String(running));
    if (!running && !errorLine.hidden) return;
    status.textContent = running ? m.fps(fps, lastResult?.faces.length ?? 0) : m.cameraIdle;
  }

  async function start() {
    const m = messages();
    errorLine.hidden = true;
    status.textContent = m.cameraStarting;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: FRAME_WIDTH }, height: { ideal: FRAME_HEIGHT } }, audio: false });
    } catch {
      errorLine.textContent = m.cameraDenied;
      errorLine.hidden = false;
      status.textContent = m.cameraIdle;
      return;
    }
    video.srcObject = stream;
    await video.play().catch(() => {});
    stage.hidden = false;
    running = true;
    frames = 0;
    sent = 0;
    drawn = 0;
    since = performance.now();
    refresh();
    // Two frames in flight: the server has a worker per core, so while one frame is
    // analysed the next is already on its way (about twice the frames per second).
    for (let i = 0; i < FRAMES_IN_FLIGHT; i++) loop();
  }

  function stop() {
    running = false;
    for (const track of stream?.getTracks() ?? []) track.stop();
    stream = null;
    video.srcObject = null;
    stage.hidden = true;
    lastResult = null;
    overlay.getContext('2d').clearRect(0, 0, overlay.width, overlay.height);
    delete overlay.dataset.boxes;
    refresh();
  }

  async function loop() {
    while (running) {
      if (video.readyState < 2 || !video.videoWidth) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        continue;
      }
      const scale = Math.min(1, FRAME_WIDTH / video.videoWidth, FRAME_HEIGHT / video.videoHeight);
      grab.width = Math.round(video.videoWidth * scale);
      grab.height = Math.round(video.videoHeight * scale);
      grab.getContext('2d').drawImage(video, 0, 0, grab.width, grab.height);
      const frameWidth = grab.width;
      const frameHeight = grab.height;
      const frame = await new Promise((resolve) => grab.toBlob(resolve, 'image/jpeg', 0.8));
      if (!frame || !running) continue;
      const sequence = ++sent;
      const outcome = await analyzePhoto(frame, { raw: true, retries: 0, profile: profile() });
      if (!running) break;
      if (outcome.ok) {
        // Answers may overtake each other; never draw an older frame over a newer one.
        if (sequence < drawn) continue;
        drawn = sequence;
        lastResult = outcome.result;
        errorLine.hidden = true;
        draw(frameWidth, frameHeight);
      } else {
        errorLine.textContent = errorText(outcome.error);
        errorLine.hidden = false;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      frames++;
      const elapsed = (performance.now() - since) / 1000;
      if (elapsed >= 1) {
        fps = frames / elapsed;
        frames = 0;
        since = performance.now();
      }
      refresh();
    }
  }

  function draw(width, height) {
    // The overlay has the frame's size; CSS stretches it over the video exactly as the video is stretched.
    if (overlay.width !== width || overlay.height !== height) {
      overlay.width = width;
      overlay.height = height;
    }
    const ctx = overlay.getContext('2d');
    ctx.clearRect(0, 0, width, height);
    overlay.dataset.boxes = String(drawFaces(ctx, lastResult, messages(), width / lastResult.image.width));
  }

  toggle.addEventListener('click', () => (running ? stop() : start()));
  window.addEventListener('pagehide', stop);
  return { stop: () => running && stop(), refresh };
}
